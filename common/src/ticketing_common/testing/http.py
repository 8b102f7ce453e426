"""Serving an app over a real socket inside the test's event loop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI

from ticketing_common.devstack.probes import port_is_free, random_port_base

_HANDED_OUT: set[int] = set()


def free_port() -> int:
    """A port free now, clear of the ephemeral range (a kernel-chosen one can be taken by
    an outgoing connection before its server binds it), never handed out twice."""
    for _ in range(100):
        port = random_port_base(1)
        if port not in _HANDED_OUT and port_is_free("127.0.0.1", port):
            _HANDED_OUT.add(port)
            return port
    raise RuntimeError("no free port after 100 tries")


@asynccontextmanager
async def serve(app: FastAPI) -> AsyncIterator[str]:
    """Run `app` (lifespan included) with uvicorn on a free port; yields its base URL.

    As deployed, uvicorn leaves forwarded headers alone: the app's `TRUSTED_PROXIES`
    alone decides whom to believe.
    """
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_config=None, lifespan="on", proxy_headers=False
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("server stopped during start-up")
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
