"""Every pod meets the "restricted" Pod Security Standard the namespace enforces, and
every process stops gracefully within its grace period."""

from __future__ import annotations

import pytest
import yaml
from deploy_manifests import K8S, PROFILES, SERVICES, Doc, containers, named, workloads

ALLOWED_VOLUMES = {"configMap", "secret", "emptyDir", "persistentVolumeClaim", "projected"}
# A service stops in ~0.2 s, at worst ~14 s (5 s for open connections, then listeners,
# a last outbox flush and a NATS drain).
WORST_SERVICE_SHUTDOWN = 14


def test_the_namespace_enforces_restricted() -> None:
    namespace = yaml.safe_load((K8S / "namespace.yaml").read_text())
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    for profile in PROFILES:
        for doc, _ in workloads(profile):
            assert doc["metadata"]["namespace"] == namespace["metadata"]["name"]


@pytest.mark.parametrize("profile", PROFILES)
def test_every_pod_is_restricted(profile: str) -> None:
    for doc, spec in workloads(profile):
        where = f"{profile} {doc['kind']}/{doc['metadata']['name']}"
        pod = spec.get("securityContext", {})
        assert pod.get("runAsNonRoot") is True, where
        assert pod.get("runAsUser", 0) > 0, where
        assert pod.get("seccompProfile", {}).get("type") == "RuntimeDefault", where
        assert not {"hostNetwork", "hostPID", "hostIPC"} & set(spec), where
        for volume in spec.get("volumes", []):
            assert set(volume) - {"name"} <= ALLOWED_VOLUMES, f"{where}: {volume}"
        for container in containers(spec):
            context = container.get("securityContext", {})
            assert context.get("allowPrivilegeEscalation") is False, where
            assert not context.get("privileged"), where
            assert context.get("capabilities", {}).get("drop") == ["ALL"], where
            assert set(context["capabilities"].get("add", [])) <= {"NET_BIND_SERVICE"}, where
            assert context.get("readOnlyRootFilesystem") is True, where
            assert "memory" in container["resources"]["limits"], where
            assert {"cpu", "memory"} <= set(container["resources"]["requests"]), where


def sleep_seconds(container: Doc) -> int:
    command = container["lifecycle"]["preStop"]["exec"]["command"]
    assert command[0] == "sleep"
    return int(command[1])


@pytest.mark.parametrize("profile", PROFILES)
def test_services_outlast_their_own_shutdown(profile: str) -> None:
    for name in (*SERVICES, "gateway"):
        deployment = named(profile, "Deployment", name)
        spec = deployment["spec"]["template"]["spec"]
        (container,) = spec["containers"]
        # preStop keeps serving while endpoints are withdrawn; then SIGTERM.
        assert sleep_seconds(container) >= 5
        budget = sleep_seconds(container) + WORST_SERVICE_SHUTDOWN
        assert spec["terminationGracePeriodSeconds"] > budget, name
        assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0


@pytest.mark.parametrize("profile", PROFILES)
def test_nats_stops_in_lame_duck_mode(profile: str) -> None:
    spec = named(profile, "StatefulSet", "nats")["spec"]["template"]["spec"]
    (container,) = spec["containers"]
    command = container["lifecycle"]["preStop"]["exec"]["command"]
    assert command == ["nats-server", "--signal", "ldm=/var/run/nats/nats.pid"]
    config = named(profile, "ConfigMap", "nats-config")["data"]["nats.conf"]
    assert "pid_file: /var/run/nats/nats.pid" in config
    # Lame duck: a 10 s grace, then clients moved over 30 s; the pod must outlast both.
    assert "lame_duck_grace_period: 10s" in config
    assert "lame_duck_duration: 30s" in config
    assert spec["terminationGracePeriodSeconds"] > 10 + 30
