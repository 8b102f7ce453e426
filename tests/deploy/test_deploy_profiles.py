"""What tells the profiles apart, and what keeps both available: dev charges localstripe
with generated Secrets, prod serves TLS with the operator's Secrets; budgets, autoscalers,
replicas and anti-affinity keep every part up through a node drain."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from deploy_manifests import K8S, PROFILES, REPO, SERVICES, app_container, named, of_kind, workloads


def dev_secrets_module() -> ModuleType:
    path = K8S / "overlays" / "dev" / "dev_secrets.py"
    spec = importlib.util.spec_from_file_location("dev_secrets", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def secret_references(profile: str) -> set[tuple[str, str]]:
    """(Secret, key) for every secretKeyRef and every key a Secret volume mounts."""
    found = set()
    for _, spec in workloads(profile):
        for container in [*spec.get("initContainers", []), *spec["containers"]]:
            for item in container.get("env", []):
                ref = item.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    found.add((ref["name"], ref["key"]))
        for volume in spec.get("volumes", []):
            if "secret" in volume:
                name = volume["secret"]["secretName"]
                keys = [item["key"] for item in volume["secret"].get("items", [])]
                found |= {(name, key) for key in keys or ["*"]}
    return found


def test_dev_generates_every_secret_it_reads() -> None:
    generated = dev_secrets_module().dev_secrets()
    for name, key in secret_references("dev"):
        assert name in generated, name
        assert key == "*" or key in generated[name], (name, key)
    assert {"keyfile", "root-password", "app-password"} <= set(generated["ticketing-mongo"])


def test_the_runbook_lists_every_secret_prod_reads() -> None:
    runbook = (REPO / "infra" / "README.md").read_text()
    for name, key in secret_references("prod"):
        assert name in runbook, name
        assert key == "*" or f"{key}=" in runbook, (name, key)


def test_dev_charges_localstripe_and_prod_the_real_stripe() -> None:
    dev_env = {e["name"]: e for e in app_container(named("dev", "Deployment", "payments"))["env"]}
    assert dev_env["STRIPE_API_BASE"]["value"] == "http://localstripe:8420"
    assert named("dev", "Service", "localstripe")["spec"]["ports"][0]["port"] == 8420
    prod_env = {e["name"] for e in app_container(named("prod", "Deployment", "payments"))["env"]}
    assert "STRIPE_API_BASE" not in prod_env
    assert not [doc for doc in of_kind("prod", "Deployment") if "localstripe" in str(doc)]


def test_prod_serves_tls_and_secure_cookies() -> None:
    for ingress in of_kind("prod", "Ingress"):
        hosts = {rule["host"] for rule in ingress["spec"]["rules"]}
        (tls,) = ingress["spec"]["tls"]
        assert hosts <= set(tls["hosts"])
        assert tls["secretName"]
    assert named("prod", "ConfigMap", "ticketing-config")["data"]["COOKIE_SECURE"] == "true"
    assert of_kind("prod", "CronJob"), "a nightly database backup"


@pytest.mark.parametrize("profile", PROFILES)
def test_every_part_has_a_disruption_budget(profile: str) -> None:
    budgets = {
        budget["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"]
        for budget in of_kind(profile, "PodDisruptionBudget")
    }
    for doc, _ in workloads(profile):
        if doc["kind"] != "CronJob" and doc["metadata"]["name"] != "localstripe":
            assert doc["metadata"]["name"] in budgets


@pytest.mark.parametrize("profile", PROFILES)
def test_autoscaled_deployments_leave_replicas_to_the_autoscaler(profile: str) -> None:
    scaled = {
        hpa["spec"]["scaleTargetRef"]["name"] for hpa in of_kind(profile, "HorizontalPodAutoscaler")
    }
    assert scaled == {"orders", "tickets"}
    for name in scaled:
        assert "replicas" not in named(profile, "Deployment", name)["spec"]


def test_prod_survives_losing_any_one_machine() -> None:
    for hpa in of_kind("prod", "HorizontalPodAutoscaler"):
        assert hpa["spec"]["minReplicas"] >= 2
    for name in (*SERVICES, "gateway"):
        spec = named("prod", "Deployment", name)["spec"]
        assert spec.get("replicas", 2) >= 2, name
    for name in ("nats", "mongo"):
        statefulset = named("prod", "StatefulSet", name)
        assert statefulset["spec"]["replicas"] == 3
        affinity = statefulset["spec"]["template"]["spec"]["affinity"]["podAntiAffinity"]
        (term,) = affinity["requiredDuringSchedulingIgnoredDuringExecution"]
        assert term["topologyKey"] == "kubernetes.io/hostname"


@pytest.mark.parametrize("profile", PROFILES)
def test_mongo_makes_the_set_of_as_many_members_as_it_runs(profile: str) -> None:
    mongo = named(profile, "StatefulSet", "mongo")
    env = {
        e["name"]: e.get("value") for e in mongo["spec"]["template"]["spec"]["containers"][0]["env"]
    }
    assert int(env["MONGO_MEMBERS"]) == mongo["spec"]["replicas"]
    assert "--keyFile" in mongo["spec"]["template"]["spec"]["containers"][0]["args"]


def test_dev_secrets_creates_only_what_is_missing(tmp_path: Path) -> None:
    """dev_secrets.py against a stand-in kubectl: ticketing-nats exists, the rest not."""
    log = tmp_path / "calls"
    stub = tmp_path / "kubectl"
    stub.write_text(
        "#!/bin/sh\n"
        f'echo "$*" >> {log}\n'
        'case "$*" in *"get secret ticketing-nats"*) exit 0;; *"get secret"*) exit 1;; esac\n'
        f'case "$*" in *"create -f -"*) cat >> {log}; echo >> {log};; esac\n'
    )
    stub.chmod(0o755)
    script = K8S / "overlays" / "dev" / "dev_secrets.py"
    env = {
        **os.environ,
        "PATH": f"{tmp_path}:{os.environ['PATH']}",
        "SKAFFOLD_KUBE_CONTEXT": "kind-x",
    }
    subprocess.run([sys.executable, str(script)], env=env, check=True, capture_output=True)
    calls = log.read_text().splitlines()
    assert calls[0].startswith("--context kind-x apply -f ")
    created = [json.loads(line) for line in calls if line.startswith("{")]
    assert [secret["metadata"]["name"] for secret in created] == [
        "ticketing-secrets",
        "ticketing-mongo",
    ]
    assert all(secret["metadata"]["namespace"] == "ticketing" for secret in created)
    assert not any("sk_test_local" in call for call in calls if not call.startswith("{"))


def test_the_mongo_scripts_parse() -> None:
    mongo = K8S / "base" / "mongo"
    subprocess.run(["bash", "-n", str(mongo / "replica-set.sh")], check=True)
    if shutil.which("node") is None:
        pytest.skip("node is not installed (make test-tools installs it)")
    subprocess.run(["node", "--check", str(mongo / "replica-set.js")], check=True)
