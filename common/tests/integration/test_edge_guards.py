"""Over a real socket: an unhandled error or an oversized request is answered in the error
shape, and an error does not spoil the kept-alive connection for the next request."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI

from ticketing_common.config import HttpEdgeSettings
from ticketing_common.edge import install_http_guards
from ticketing_common.errors import install_error_handlers
from ticketing_common.testing.http import serve

pytestmark = pytest.mark.asyncio(loop_scope="session")


def _app() -> FastAPI:
    app = FastAPI()
    install_http_guards(app, HttpEdgeSettings(max_body_bytes=1024))
    install_error_handlers(app)

    @app.post("/boom")
    async def boom() -> None:
        raise ValueError("Exceeds the limit (4300 digits) for integer string conversion")

    @app.get("/ok")
    async def ok() -> dict[str, bool]:
        return {"ok": True}

    return app


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> tuple[int, dict[str, str], bytes]:
    """Send one request on the open connection and read its whole response."""
    writer.write(request)
    await writer.drain()
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    status_line, *lines = head.decode().split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines if line)}
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return int(status_line.split()[1]), headers, body


async def test_an_unhandled_error_is_a_500_and_the_connection_serves_the_next_request() -> None:
    async with serve(_app()) as url:
        address = urlsplit(url)
        reader, writer = await asyncio.open_connection(address.hostname, address.port)
        try:
            status, _, body = await _exchange(
                reader, writer, b"POST /boom HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n"
            )
            after, _, _ = await _exchange(reader, writer, b"GET /ok HTTP/1.1\r\nHost: t\r\n\r\n")
        finally:
            writer.close()
    assert status == 500
    assert json.loads(body) == {"errors": [{"message": "Something went wrong"}]}
    assert after == 200


async def test_a_body_over_the_limit_is_413_and_the_connection_is_closed_cleanly() -> None:
    async with serve(_app()) as url:
        address = urlsplit(url)
        reader, writer = await asyncio.open_connection(address.hostname, address.port)
        try:
            request = b"POST /boom HTTP/1.1\r\nHost: t\r\nContent-Length: 10000000\r\n\r\n"
            status, headers, body = await _exchange(reader, writer, request)
            closed = await asyncio.wait_for(reader.read(), 5)
        finally:
            writer.close()
    assert status == 413
    assert headers["connection"] == "close"
    assert json.loads(body) == {"errors": [{"message": "Request body too large"}]}
    assert closed == b""
