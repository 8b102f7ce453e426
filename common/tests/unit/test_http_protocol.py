"""One write per loop turn: a response's head and body reach the socket together."""

from __future__ import annotations

import asyncio

import pytest

from ticketing_common.http_protocol import TurnBufferedTransport

pytestmark = pytest.mark.asyncio(loop_scope="session")


class RecordingTransport:
    """Records the writes that would reach the socket."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        assert not self.closed, "written after close"
        self.writes.append(data)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def get_extra_info(self, name: str) -> str:
        return f"info:{name}"


def buffered() -> tuple[TurnBufferedTransport, RecordingTransport]:
    inner = RecordingTransport()
    return TurnBufferedTransport(inner, asyncio.get_running_loop()), inner  # type: ignore[arg-type]


async def test_writes_of_one_turn_go_out_as_one_write_at_its_end() -> None:
    transport, inner = buffered()
    transport.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n")
    transport.write(memoryview(b"ok"))
    assert inner.writes == []  # nothing yet: the turn is not over
    await asyncio.sleep(0)
    assert inner.writes == [b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"]


async def test_writes_of_later_turns_are_their_own_writes_in_order() -> None:
    transport, inner = buffered()
    for chunk in (b"a", b"b", b"c"):
        transport.write(chunk)
        await asyncio.sleep(0)
    assert inner.writes == [b"a", b"b", b"c"]


async def test_close_sends_what_was_written_first() -> None:
    transport, inner = buffered()
    transport.write(b"last words")
    transport.close()
    assert inner.writes == [b"last words"]
    assert inner.closed
    await asyncio.sleep(0)  # the turn's flush finds nothing left to send
    assert inner.writes == [b"last words"]


async def test_a_connection_closed_meanwhile_gets_no_write() -> None:
    transport, inner = buffered()
    transport.write(b"late")
    inner.closed = True  # the peer went away during the turn
    await asyncio.sleep(0)
    assert inner.writes == []


async def test_everything_else_is_the_transport_itself() -> None:
    transport, inner = buffered()
    assert transport.get_extra_info("peername") == "info:peername"
    assert transport.is_closing() is False
    inner.closed = True
    assert transport.is_closing() is True
