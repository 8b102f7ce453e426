"""A service as a real uvicorn process, for tests that send it real signals.

Started the way the dev stack starts it (`devstack.uvicorn.uvicorn_command`), pointed at
the test servers, its output (JSON logs) kept in a file.
"""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from ticketing_common.devstack.groups import spawn
from ticketing_common.devstack.uvicorn import uvicorn_command
from ticketing_common.testing.endpoints import Endpoints
from ticketing_common.testing.http import free_port


def service_env(
    endpoints: Endpoints, service_name: str, database: str, jwt_key: str
) -> dict[str, str]:
    """What every service reads, as the dev stack sets it (a service ignores the rest)."""
    return {
        "MONGO_URI": endpoints.mongo_uri,
        "NATS_URL": endpoints.nats_url,
        "MONGO_DB": database,
        "SERVICE_NAME": service_name,
        "JWT_KEY": jwt_key,
        "TICKET_KEY_SECRET": "process-test-ticket-key-secret-0123456789",
        # Test-only Ed25519 seed: base64 of the bytes 0..31.
        "TICKET_SIGNING_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        "TICKET_SIGNING_KEY_ID": "process-test-1",
        "STRIPE_API_BASE": endpoints.stripe_url,
        "STRIPE_SECRET_KEY": "sk_test_embedded",
        "API_BASE_URL": "http://127.0.0.1:9",
        "LOG_LEVEL": "INFO",
    }


@dataclass
class ServiceProcess:
    popen: subprocess.Popen[bytes]
    url: str
    log_path: Path

    def logs(self) -> list[dict[str, Any]]:
        """The JSON log lines written so far (uvicorn's plain start-up lines skipped)."""
        entries = []
        for line in self.log_path.read_text().splitlines():
            if line.startswith("{"):
                entries.append(json.loads(line))
        return entries

    def said(self, message: str) -> list[dict[str, Any]]:
        return [entry for entry in self.logs() if entry.get("msg") == message]

    def terminate(self) -> float:
        """Send SIGTERM; returns the moment (`time.monotonic()`) it was sent."""
        self.popen.send_signal(signal.SIGTERM)
        return time.monotonic()

    async def exited(self, within: float) -> float:
        """Wait for the process to end; returns the moment it was seen gone."""
        deadline = time.monotonic() + within
        while self.popen.poll() is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"still running {within} s later")
            await asyncio.sleep(0.01)
        return time.monotonic()


async def _wait_healthy(process: ServiceProcess, within: float) -> None:
    deadline = time.monotonic() + within
    async with httpx.AsyncClient(base_url=process.url, timeout=2) as http:
        while True:
            if process.popen.poll() is not None:
                raise AssertionError(f"exited during start-up:\n{process.log_path.read_text()}")
            try:
                if (await http.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"not healthy in {within} s:\n{process.log_path.read_text()}")
            await asyncio.sleep(0.1)


@asynccontextmanager
async def service_process(
    service: str, env: dict[str, str], log_path: Path, *, start_within: float = 30.0
) -> AsyncIterator[ServiceProcess]:
    """Run `service` on a free port until the block ends (killed then if still running)."""
    port = free_port()
    popen = spawn(uvicorn_command(service, "127.0.0.1", port), env, log_path)
    process = ServiceProcess(popen, f"http://127.0.0.1:{port}", log_path)
    try:
        await _wait_healthy(process, start_within)
        yield process
    finally:
        if popen.poll() is None:
            popen.kill()
        popen.wait()
