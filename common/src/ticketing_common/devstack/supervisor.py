"""Starts parts in order, waits for each to be healthy, and stops them all cleanly."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from ticketing_common.devstack.parts import Part

Report = Callable[[str], None]


class PortInUse(Exception):
    pass


class StartupFailed(Exception):
    pass


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _answers(host: str, part: Part) -> bool:
    if part.health_path is None:
        with contextlib.suppress(OSError), socket.create_connection((host, part.port), 0.5):
            return True
        return False
    url = f"http://{host}:{part.port}{part.health_path}"
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


class Supervisor:
    def __init__(self, parts: list[Part], log_dir: Path, host: str, report: Report = print) -> None:
        self.parts = parts
        self.log_dir = log_dir
        self.host = host
        self.report = report
        self.running: list[tuple[Part, subprocess.Popen[bytes]]] = []

    def check_ports(self) -> None:
        for part in self.parts:
            if not port_is_free(self.host, part.port):
                raise PortInUse(
                    f"Port {part.port} for {part.name} is already in use. "
                    f"Stop what holds it, or set {part.port_setting} to another port."
                )

    def start_all(self, timeout: float = 90.0) -> None:
        self.check_ports()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        total = len(self.parts)
        for number, part in enumerate(self.parts, 1):
            self.report(f"[{number}/{total}] starting {part.name} on port {part.port} ...")
            started = time.monotonic()
            process = self._spawn(part)
            self.running.append((part, process))
            self._wait_healthy(part, process, timeout)
            self.report(f"[{number}/{total}] {part.name} ready ({time.monotonic() - started:.1f}s)")

    def _log_path(self, part: Part) -> Path:
        return self.log_dir / f"{part.name.split()[0]}.log"

    def _spawn(self, part: Part) -> subprocess.Popen[bytes]:
        log_file = self._log_path(part).open("ab")
        # A session of its own: stopping it signals the whole group, children included.
        return subprocess.Popen(  # noqa: S603 - commands are built by parts.py, not input
            part.command,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env={**os.environ, **part.env},
            start_new_session=True,
        )

    def _wait_healthy(self, part: Part, process: subprocess.Popen[bytes], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        next_note = time.monotonic() + 5
        while not _answers(self.host, part):
            if process.poll() is not None:
                raise StartupFailed(
                    f"{part.name} exited with {process.returncode}:\n{self.tail(part)}"
                )
            if time.monotonic() > deadline:
                raise StartupFailed(
                    f"{part.name} not healthy after {timeout:.0f}s:\n{self.tail(part)}"
                )
            if time.monotonic() > next_note:
                self.report(f"      waiting for {part.name} health ...")
                next_note = time.monotonic() + 5
            time.sleep(0.1)

    def tail(self, part: Part, lines: int = 20) -> str:
        path = self._log_path(part)
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def first_exited(self) -> Part | None:
        for part, process in self.running:
            if process.poll() is not None:
                return part
        return None

    def stop_all(self, grace: float = 10.0) -> None:
        for part, process in reversed(self.running):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(grace)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
            self.report(f"stopped {part.name}")
        self.running.clear()
