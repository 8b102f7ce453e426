"""The services' HTTP protocol under a real uvicorn server, over real connections: whole
responses, several on one keep-alive connection, a streamed one, and a closed one."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
import uvicorn

from ticketing_common.http_protocol import OneWriteHttpProtocol
from ticketing_common.testing.http import free_port

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    if scope["path"] == "/stream":
        headers = [(b"content-type", b"text/event-stream")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for n in range(3):
            await send(
                {"type": "http.response.body", "body": f"data: {n}\n\n".encode(), "more_body": True}
            )
            await asyncio.sleep(0.01)
        await send({"type": "http.response.body", "body": b""})
        return
    body = f"you asked for {scope['path']}".encode()
    headers = [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def port() -> AsyncIterator[int]:
    port = free_port()
    config = uvicorn.Config(app, port=port, http=OneWriteHttpProtocol, log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    yield port
    server.should_exit = True
    await task


async def read_response(reader: asyncio.StreamReader) -> tuple[bytes, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length")
    )
    return head, await reader.readexactly(length)


async def test_several_responses_on_one_keep_alive_connection(port: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for path in ("/one", "/two", "/three"):
        writer.write(f"GET {path} HTTP/1.1\r\nhost: test\r\n\r\n".encode())
        head, body = await asyncio.wait_for(read_response(reader), 5)
        assert head.startswith(b"HTTP/1.1 200 OK")
        assert body == f"you asked for {path}".encode()
    writer.close()


async def test_a_streamed_response_arrives_whole(port: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /stream HTTP/1.1\r\nhost: test\r\nconnection: close\r\n\r\n")
    received = await asyncio.wait_for(reader.read(), 5)  # until the server closes
    assert received.startswith(b"HTTP/1.1 200 OK")
    assert b"transfer-encoding: chunked" in received
    for n in range(3):
        assert f"data: {n}\n\n".encode() in received
    assert received.endswith(b"0\r\n\r\n")
    writer.close()


async def test_a_response_to_connection_close_is_sent_before_the_close(port: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /bye HTTP/1.1\r\nhost: test\r\nconnection: close\r\n\r\n")
    received = await asyncio.wait_for(reader.read(), 5)
    assert received.endswith(b"you asked for /bye")
    writer.close()
