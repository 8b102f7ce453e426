"""SIGTERM to each service as a real uvicorn process: its shutdown runs to the end and
the process is gone within 10 s (orders, with open streams: its own test)."""

from __future__ import annotations

import signal
import uuid
from pathlib import Path

import pytest

from ticketing_common.devstack.parts import installed_services
from ticketing_common.testing.endpoints import Endpoints
from ticketing_common.testing.plugin import TEST_JWT_KEY
from ticketing_common.testing.processes import service_env, service_process

pytestmark = pytest.mark.asyncio(loop_scope="session")

SERVICES = ["auth", "tickets", "expiration", "payments", "client"]
# Those built on `create_service_app` (the client is a plain FastAPI app).
COMPOSED = {"auth", "tickets", "expiration", "payments"}


@pytest.mark.parametrize("service", SERVICES)
async def test_sigterm_stops_the_service_within_10_seconds(
    service: str, embedded_servers: Endpoints, database_name: str, tmp_path: Path
) -> None:
    if service not in installed_services():
        pytest.skip(f"{service} is not installed")
    name = f"{service}-test-{uuid.uuid4().hex[:8]}"  # durable consumers of its own
    env = service_env(embedded_servers, name, database_name, TEST_JWT_KEY)
    async with service_process(service, env, tmp_path / f"{service}.log") as process:
        signalled = process.terminate()
        exited = await process.exited(within=10)

    took = exited - signalled
    print(f"\n{service}: exited {took:.2f} s after SIGTERM")
    assert took < 10
    # uvicorn re-raises the signal once its shutdown is complete (0 on older versions).
    assert process.popen.returncode in (0, -signal.SIGTERM)
    assert process.said("Application shutdown complete.")
    if service in COMPOSED:
        assert process.said("listeners stopped")
        relays = {entry["relay"] for entry in process.said("outbox relay stopped")}
        assert "OutboxRelay" in relays
        assert process.said("service stopped")
        # Start-up's heap is frozen: full collections skip it (a 50 ms pause each before).
        (started,) = process.said("service started")
        assert started["frozenObjects"] > 10_000
