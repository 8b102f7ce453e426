"""Oversized headers and bodies are refused in the error shape (431, 413)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI, Request

from ticketing_common.config import HttpEdgeSettings
from ticketing_common.edge import install_http_guards
from ticketing_common.errors import install_error_handlers

LIMIT = 4096


def _app() -> FastAPI:
    app = FastAPI()
    install_http_guards(app, HttpEdgeSettings(max_body_bytes=LIMIT, max_header_bytes=LIMIT))
    install_error_handlers(app)

    @app.post("/echo")
    async def echo(body: dict[str, str]) -> dict[str, int]:
        return {"keys": len(body)}

    @app.post("/raw")
    async def raw(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    return app


async def _post(path: str, **kwargs: object) -> httpx.Response:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.post(path, **kwargs)  # type: ignore[arg-type]


async def test_a_body_within_the_limit_is_served() -> None:
    assert (await _post("/echo", json={"a": "x" * 1000})).json() == {"keys": 1}


async def test_a_declared_length_over_the_limit_is_refused_before_it_is_read() -> None:
    response = await _post("/echo", content=b"{" + b" " * LIMIT + b"}")
    assert response.status_code == 413
    assert response.json() == {"errors": [{"message": "Request body too large"}]}
    assert response.headers["connection"] == "close"


async def _chunks(size: int) -> AsyncIterator[bytes]:
    for _ in range(size // 1024):
        yield b"x" * 1024


async def test_a_chunked_body_is_refused_once_it_passes_the_limit() -> None:
    for path in ("/echo", "/raw"):
        response = await _post(path, content=_chunks(4 * LIMIT))
        assert response.status_code == 413
        assert response.json() == {"errors": [{"message": "Request body too large"}]}


async def test_oversized_headers_are_a_431_in_the_error_shape() -> None:
    response = await _post("/echo", json={}, headers={"Cookie": "c=" + "x" * LIMIT})
    assert response.status_code == 431
    assert response.json() == {"errors": [{"message": "Request headers too large"}]}
