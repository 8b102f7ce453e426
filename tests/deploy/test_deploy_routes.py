"""One route table: the gateway's (infra/Caddyfile), the Ingress paths and the upstreams
compose and Kubernetes give the gateway agree; Caddy accepts the file with one upstream
per service (make dev, compose) and with two (make cluster)."""

from __future__ import annotations

import os
import re
import subprocess

import pytest
from deploy_manifests import INFRA, PROFILES, Doc, compose, named, of_kind, tool

CADDYFILE = INFRA / "Caddyfile"
UPSTREAMS = ("AUTH", "TICKETS", "ORDERS", "PAYMENTS", "NOTIFICATIONS", "CLIENT")
# Upstreams named for what they serve, and the service that serves it: the seat map is
# orders' (a process of its own in `make dev`, the orders service in compose and
# Kubernetes).
ROLES = {"AVAILABILITY": "orders"}


def caddy_routes() -> dict[str, str]:
    """Path prefix -> the service whose upstream serves it; "/" is the fallback."""
    text = CADDYFILE.read_text()
    matchers = dict(re.findall(r"^\s*@(\w+) path (.+)$", text, re.MULTILINE))
    handlers = re.findall(r"handle (@\w+ )?\{\s*reverse_proxy \{\$(\w+)_UPSTREAM", text)
    routes = {}
    for matcher, upstream in handlers:
        paths = matchers[matcher.strip()[1:]].split() if matcher else ["/"]
        for path in paths:
            routes[path.removesuffix("/*")] = ROLES.get(upstream, upstream.lower())
    return routes


def ingress_routes(profile: str) -> dict[str, str]:
    return {
        path["path"]: path["backend"]["service"]["name"]
        for ingress in of_kind(profile, "Ingress")
        for path in ingress_paths(ingress)
    }


def test_the_caddyfile_names_every_service() -> None:
    routes = caddy_routes()
    assert set(routes.values()) == {name.lower() for name in UPSTREAMS}
    assert routes["/api/availability"] == "orders"
    assert routes["/"] == "client"


@pytest.mark.parametrize("profile", PROFILES)
def test_the_ingress_routes_as_the_gateway(profile: str) -> None:
    assert ingress_routes(profile) == caddy_routes()
    for ingress in of_kind(profile, "Ingress"):
        # Server-sent events pass unbuffered, as Caddy's `flush_interval -1` does.
        if "orders" in {p["backend"]["service"]["name"] for p in ingress_paths(ingress)}:
            annotations = ingress["metadata"]["annotations"]
            assert annotations["nginx.ingress.kubernetes.io/proxy-buffering"] == "off"
    assert "flush_interval -1" in CADDYFILE.read_text()


def ingress_paths(ingress: Doc) -> list[Doc]:
    return [path for rule in ingress["spec"]["rules"] for path in rule["http"]["paths"]]


def upstream_env(env: dict[str, str]) -> dict[str, str]:
    return {name: env[f"{name}_UPSTREAM"].split(":")[0] for name in (*UPSTREAMS, *ROLES)}


def test_compose_and_kubernetes_point_the_gateway_at_each_service() -> None:
    wanted = {name: name.lower() for name in UPSTREAMS} | ROLES
    assert upstream_env(compose()["services"]["gateway"]["environment"]) == wanted
    for profile in PROFILES:
        (container,) = named(profile, "Deployment", "gateway")["spec"]["template"]["spec"][
            "containers"
        ]
        env = {item["name"]: item["value"] for item in container["env"]}
        assert upstream_env(env) == wanted
        assert env["GATEWAY_PORT"] == str(container["ports"][0]["containerPort"])


@pytest.mark.parametrize("replicas", [1, 2])
def test_caddy_validates_the_route_table(replicas: int) -> None:
    env = {
        f"{name}_UPSTREAM": " ".join(f"127.0.0.1:{3000 + 100 * r}" for r in range(replicas))
        for name in (*UPSTREAMS, *ROLES)
    }
    result = subprocess.run(
        [tool("caddy"), "validate", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
