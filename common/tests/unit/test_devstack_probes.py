"""The supervisor's health probe: only an HTTP 200 is healthy; anything else that
answers on the port (here something that sends the request back, as a TCP connection
that met itself does) is not healthy yet, never an error."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from ticketing_common.devstack.parts import Part
from ticketing_common.devstack.probes import answers


@pytest.fixture
def echo_port() -> Iterator[int]:
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def serve() -> None:
        with server:
            connection, _ = server.accept()
            with connection:
                connection.sendall(connection.recv(65536))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield port
    thread.join(timeout=5)


def test_an_answer_that_is_not_http_is_not_healthy(echo_port: int) -> None:
    part = Part("echo", ["true"], echo_port, "ECHO_PORT", "/healthz", {})
    assert answers("127.0.0.1", part) is False


def test_nothing_listening_is_not_healthy() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
    part = Part("gone", ["true"], port, "GONE_PORT", "/healthz", {})
    assert answers("127.0.0.1", part) is False
