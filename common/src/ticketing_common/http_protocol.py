"""The services' HTTP protocol: uvicorn's httptools one, sending each response in one write.

uvicorn writes a response's head and its body to the socket separately: two `send`
system calls per response, and two segments for the gateway to read. On loopback a
send does the receiver's work too; in a flash sale these writes were a quarter of the
orders service's CPU. Here the writes a connection makes in one turn of the event loop
go out together at the end of that turn (a response's head and body are written in the
same turn), so a response costs one system call; nothing waits longer than that turn.

Selected with `uvicorn --http ticketing_common.http_protocol:OneWriteHttpProtocol`.
"""

from __future__ import annotations

import asyncio
from typing import Any, cast

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class TurnBufferedTransport:
    """A connection's transport whose writes of one loop turn reach the socket as one."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self._pending:
            self._loop.call_soon(self.flush)
        self._pending.append(bytes(data))

    def flush(self) -> None:
        if not self._pending:
            return
        data = b"".join(self._pending)
        self._pending.clear()
        if not self._transport.is_closing():
            self._transport.write(data)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class OneWriteHttpProtocol(HttpToolsProtocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        buffered: Any = TurnBufferedTransport(cast(asyncio.Transport, transport), self.loop)
        super().connection_made(buffered)
