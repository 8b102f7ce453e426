"""Starts parts in order, each healthy before the next; restarts any that exits; stops them all."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import ticketing_common.devstack.groups as groups
from ticketing_common.devstack.healing import Healer
from ticketing_common.devstack.parts import Part
from ticketing_common.devstack.probes import answers, port_is_free, port_is_free_to_listen
from ticketing_common.devstack.restarts import DEFAULT_RESTARTS, RestartPolicy

Report = Callable[[str], None]
Process = subprocess.Popen[bytes]

__all__ = ["PortInUse", "Report", "StartupFailed", "Stopped", "Supervisor", "port_is_free"]


class PortInUse(Exception):
    pass


class StartupFailed(Exception):
    pass


class Stopped(Exception):
    """`start_all` was cut short: a stop was requested while parts were still starting."""


class Supervisor:
    """Runs the parts the way Kubernetes runs pods, on one machine.

    `start_all` starts them in order; `watch` (or the caller's own loop of `heal_once`)
    restarts a part that exits, with back-off; `stop_all` stops every process group in
    reverse order. Restarts happen only inside `heal_once`, so a caller that never calls
    it (the test fixtures) gets start and stop only; `restarts=None` turns them off.
    Once stopped, a supervisor stays stopped: start again with a new one.
    """

    def __init__(
        self,
        parts: list[Part],
        log_dir: Path,
        host: str,
        report: Report = print,
        restarts: RestartPolicy | None = DEFAULT_RESTARTS,
    ) -> None:
        self.parts = parts
        self.log_dir = log_dir
        self.host = host
        self.report = report
        self.restarts = restarts
        self.running: list[tuple[Part, Process]] = []
        self._healer = None if restarts is None else Healer(host, restarts, report, self._relaunch)
        # heal_once and stop_all may run on different threads (a fixture's watcher, its teardown).
        self._lock = threading.RLock()
        # Set by request_stop (a signal handler) or stop_all; start and heal loops check it
        # between steps, so a stop never lands halfway through starting a process.
        self._stopping = False

    def check_ports(self) -> None:
        for part in self.parts:
            # Connections a stopped stack left in TIME_WAIT do not stop its servers (they
            # all listen with SO_REUSEADDR), so only a live listener counts as taken.
            if not port_is_free_to_listen(self.host, part.port):
                raise PortInUse(
                    f"Port {part.port} for {part.name} is already in use. "
                    f"Stop what holds it, or set {part.port_setting} to another port."
                )

    def start_all(self, timeout: float = 90.0) -> None:
        self.check_ports()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        total = len(self.parts)
        for number, part in enumerate(self.parts, 1):
            if self._stopping:
                raise Stopped(f"stopped before {part.name} started")
            self.report(f"[{number}/{total}] starting {part.name} on port {part.port} ...")
            started = time.monotonic()
            process = self._launch(part)
            self._wait_healthy(part, process, timeout)
            self.report(f"[{number}/{total}] {part.name} ready ({time.monotonic() - started:.1f}s)")

    def _log_path(self, part: Part) -> Path:
        return self.log_dir / f"{part.name.split()[0]}.log"

    def _launch(self, part: Part, index: int | None = None) -> Process:
        """Spawn the part and record it, appended or in place of `index`, for stop_all to find."""
        process = groups.spawn(part.command, part.env, self._log_path(part))
        if index is None:
            self.running.append((part, process))
        else:
            self.running[index] = (part, process)
        return process

    def _wait_healthy(self, part: Part, process: Process, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        next_note = time.monotonic() + 5
        while not answers(self.host, part):
            if self._stopping:
                raise Stopped(f"stopped while {part.name} was starting")
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

    def request_stop(self) -> None:
        """Ask start_all and watch to return soon; safe from a signal handler (no lock)."""
        self._stopping = True

    def watch(self, interval: float = 0.5) -> Part | None:
        """Heal until `request_stop` or `stop_all` is called (by a signal handler, a thread).

        With restarts off, returns the first part that exits instead.
        """
        while not self._stopping:
            exited = self.heal_once()
            if exited is not None:
                return exited
            time.sleep(interval)
        return None

    def heal_once(self) -> Part | None:
        """One look at every part: note exits, restart those whose back-off is over, report
        restarted ones once healthy. With restarts off, returns the first exited part."""
        with self._lock:
            if self._stopping:
                return None
            if self._healer is None:
                return self.first_exited()
            for index, (part, process) in enumerate(self.running):
                self._healer.tend(index, part, process)
        return None

    def _relaunch(self, index: int) -> Process:
        return self._launch(self.running[index][0], index)

    def stop_all(self, grace: float = 10.0) -> None:
        """Stop every part, whole process groups, in reverse order; nothing restarts after."""
        self._stopping = True  # before the lock, so a watch loop on another thread ends sooner
        with self._lock:
            for part, process in reversed(self.running):
                groups.stop_group(process, grace)
                self.report(f"stopped {part.name}")
            self.running.clear()
            if self._healer is not None:
                self._healer.forget()
