"""How a service process starts under uvicorn: in the dev stack, the cluster and the
tests' own processes (`testing.processes`); `infra/entrypoint.sh` says the same for the
images."""

from __future__ import annotations

import sys

GRACEFUL_SHUTDOWN_SECONDS = 5
# Idle keep-alive connections stay open longer than the gateway keeps its own idle ones
# (Caddy: 2 min): a service closing one as the gateway sends a request on it was a 502,
# never retried for a POST (measured once in 1,000 payments of the flash-sale benchmark).
KEEP_ALIVE_SECONDS = 130
HTTP_PROTOCOL = "ticketing_common.http_protocol:OneWriteHttpProtocol"


def uvicorn_command(service: str, host: str, port: int) -> list[str]:
    """How a service process starts: in the dev stack, the cluster and the tests."""
    command = [sys.executable, "-m", "uvicorn", f"{service}.main:create_app", "--factory"]
    command += ["--host", host, "--port", str(port), "--no-access-log"]
    # An open stream (availability updates) must not hold a stopping process forever.
    command += ["--timeout-graceful-shutdown", str(GRACEFUL_SHUTDOWN_SECONDS)]
    command += ["--timeout-keep-alive", str(KEEP_ALIVE_SECONDS)]
    # Each response in one write to the socket (see ticketing_common.http_protocol).
    command += ["--http", HTTP_PROTOCOL]
    # The services decide whom to believe about the client's address (TRUSTED_PROXIES).
    return [*command, "--no-proxy-headers"]
