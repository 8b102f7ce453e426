"""What the dev-stack restart tests share: small real parts and a report that keeps time."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from ticketing_common.devstack import Part, RestartPolicy, Supervisor
from ticketing_common.testing.http import free_port

HOST = "127.0.0.1"
FAST = RestartPolicy(first_delay=0.2, max_delay=1.0, reset_after=60.0, start_timeout=5.0)

# Serves on argv[1] the first time; later runs (marker argv[2] exists) do argv[3]:
# "exit" with code 3, or "hang" without ever listening.
FLAKY = """
import http.server, pathlib, sys, time
marker = pathlib.Path(sys.argv[2])
if marker.exists():
    if sys.argv[3] == "exit":
        sys.exit(3)
    time.sleep(300)
marker.touch()
address = ("127.0.0.1", int(sys.argv[1]))
http.server.HTTPServer(address, http.server.BaseHTTPRequestHandler).serve_forever()
"""

# Listens on argv[1] and shrugs off SIGTERM, as a stuck child of a part might.
STUBBORN = """
import signal, socket, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
sock = socket.socket()
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(("127.0.0.1", int(sys.argv[1])))
sock.listen()
time.sleep(300)
"""


class Lines(list[str]):
    """The supervisor's report, each line with the moment it was said."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []

    def __call__(self, line: str) -> None:
        self.times.append(time.monotonic())
        self.append(line)

    def starting(self, prefix: str) -> list[tuple[float, str]]:
        # Not strict: a watcher thread may be between the two appends while a test reads.
        said = zip(self.times, self, strict=False)
        return [(at, line) for at, line in said if line.startswith(prefix)]


def web_server(name: str, directory: Path, prefix: list[str] | None = None) -> Part:
    """`python -m http.server` on a free port, healthy when "/" answers 200."""
    port = free_port()
    command = [sys.executable, "-m", "http.server", str(port), "--bind", HOST]
    return Part(name, [*(prefix or []), *command, "--directory", str(directory)], port, "PORT", "/")


def flaky(name: str, directory: Path, later: str) -> Part:
    """Healthy on its first run; every later run does `later` ("exit" or "hang")."""
    port = free_port()
    command = [sys.executable, "-c", FLAKY, str(port), str(directory / f"{name}-served"), later]
    return Part(name, command, port, "PORT")


def process_of(supervisor: Supervisor, name: str) -> subprocess.Popen[bytes]:
    return next(process for part, process in supervisor.running if part.name == name)


def heal_until(supervisor: Supervisor, done: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "the supervisor did not get there in time"
        supervisor.heal_once()
        time.sleep(0.02)


@contextlib.contextmanager
def started(supervisor: Supervisor) -> Iterator[Supervisor]:
    """Started, and stopped whatever the test's outcome, so no process outlives it."""
    try:
        supervisor.start_all()
        yield supervisor
    finally:
        supervisor.stop_all(grace=0.5)
