"""Brings back a part that exited: notes the exit, waits out the back-off, clears the way
(old process group and port gone), starts it again and reports when it is healthy."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable

import ticketing_common.devstack.groups as groups
from ticketing_common.devstack.parts import Part
from ticketing_common.devstack.probes import answers, port_is_free_to_listen
from ticketing_common.devstack.restarts import Recovery, RestartPolicy, describe_exit, format_delay

Process = subprocess.Popen[bytes]


class Healer:
    """Keeps one Recovery per part, by its place in the supervisor's list of running parts.

    `relaunch(index)` is the supervisor's: it spawns the part at `index` again and records
    the new process there, so a stop that follows finds it.
    """

    def __init__(
        self,
        host: str,
        policy: RestartPolicy,
        report: Callable[[str], None],
        relaunch: Callable[[int], Process],
    ) -> None:
        self.host = host
        self.policy = policy
        self.report = report
        self.relaunch = relaunch
        self._recoveries: dict[int, Recovery] = {}
        self._port_noted: set[int] = set()  # told "waiting for port" already, to say it once

    def forget(self) -> None:
        self._recoveries.clear()
        self._port_noted.clear()

    def tend(self, index: int, part: Part, process: Process) -> None:
        """Move one part one step along: exit noted, restart due, restarted part healthy."""
        now = time.monotonic()
        # First seen here, after start-up, so the part has been up since about now.
        recovery = self._recoveries.setdefault(index, Recovery(up_since=now))
        if recovery.waiting:
            if recovery.due(now):
                self._restart(index, part, process, recovery)
        elif process.poll() is not None:
            self._failed(part, process, recovery, f"exited ({describe_exit(process.returncode)})")
        elif recovery.coming_up:
            if answers(self.host, part):
                took = recovery.healthy(time.monotonic())
                self.report(f"{part.name} restarted ({took:.1f}s)")
            elif recovery.overdue(now, self.policy):
                timeout = format_delay(self.policy.start_timeout)
                self._failed(part, process, recovery, f"not healthy after {timeout}")

    def _failed(self, part: Part, process: Process, recovery: Recovery, what: str) -> None:
        # What the part leaves in its group must go too; the back-off is its grace period.
        groups.signal_group(process.pid, signal.SIGTERM)
        delay = recovery.failed(time.monotonic(), self.policy)
        self.report(f"{part.name} {what}; restarting in {format_delay(delay)}")

    def _restart(self, index: int, part: Part, old: Process, recovery: Recovery) -> None:
        """Start the part again once its old group and its port are gone, else wait a tick:
        SecantusDB, for one, holds a lock on its storage until its process has exited."""
        old.poll()  # reap the leader, if its health timeout ended it only now
        if groups.group_alive(old.pid):
            groups.signal_group(old.pid, signal.SIGKILL)
            return
        if not port_is_free_to_listen(self.host, part.port):
            if index not in self._port_noted:
                self._port_noted.add(index)
                self.report(f"{part.name}: waiting for port {part.port} to be free ...")
            return
        self._port_noted.discard(index)
        self.relaunch(index)
        recovery.restarted(time.monotonic())
