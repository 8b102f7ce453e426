"""docker-compose.yml against the compose specification (the schema check-jsonschema
ships), commands that need no exported secret, restart policies, and the image's
entrypoint that hands compose's generated keys to the settings."""

from __future__ import annotations

import json
import os
import re
import subprocess
from importlib.resources import files
from pathlib import Path

import jsonschema
from deploy_manifests import INFRA, REPO, SERVICES, compose


def test_compose_follows_the_compose_specification() -> None:
    vendored = files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    schema = json.loads(vendored.read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    assert [error.message for error in validator.iter_errors(compose())] == []
    broken = compose()
    broken["services"]["nats"]["restrat"] = "always"
    assert list(validator.iter_errors(broken))


def test_no_command_needs_an_exported_secret() -> None:
    # ${VAR:?message} fails every command, `docker compose down -v` included, when unset.
    text = (REPO / "docker-compose.yml").read_text()
    assert not re.search(r"\$\{\w+:?\?", text)


def test_every_long_running_container_restarts() -> None:
    for name, service in compose()["services"].items():
        wanted = "no" if name == "keys" else "unless-stopped"
        assert service.get("restart") == wanted, name


def test_services_are_built_from_the_one_dockerfile() -> None:
    for name, service in compose()["services"].items():
        build = service.get("build")
        if build is None:
            continue
        assert (REPO / build["context"] / build["dockerfile"]).is_file(), name
        if name in SERVICES:
            assert build["dockerfile"] == "infra/Dockerfile"
            assert build["args"] == {"SERVICE": name}


def run_entrypoint(tmp_path: Path, env: dict[str, str]) -> list[str]:
    """infra/entrypoint.sh with a stand-in uvicorn that prints its arguments and JWT_KEY."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    stub = bin_dir / "uvicorn"
    stub.write_text('#!/bin/sh\necho "$@"\necho "key=${JWT_KEY:-} file=${JWT_KEY_FILE:-}"\n')
    stub.chmod(0o755)
    result = subprocess.run(
        ["sh", str(INFRA / "entrypoint.sh")],
        env={"PATH": f"{bin_dir}:{os.environ['PATH']}", "SERVICE": "orders", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()


def test_the_entrypoint_reads_a_key_from_its_file(tmp_path: Path) -> None:
    key_file = tmp_path / "jwt-key"
    key_file.write_text("generated-key\n")
    args, keys = run_entrypoint(tmp_path, {"JWT_KEY": "", "JWT_KEY_FILE": str(key_file)})
    assert keys == "key=generated-key file="
    assert args.startswith("orders.main:create_app --factory")
    assert "--timeout-graceful-shutdown 5" in args
    _, keys = run_entrypoint(tmp_path, {"JWT_KEY": "exported", "JWT_KEY_FILE": str(key_file)})
    assert keys == "key=exported file="
