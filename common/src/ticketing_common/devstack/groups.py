"""Each part runs in a process group of its own; here it is started, signalled and awaited.

A part's children (a server's workers, a shell's command) share its group, so a
signal to the group reaches them all, and a part counts as gone only when nothing
in its group runs any more: a child left behind could still hold the port or a lock.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

_PROC = Path("/proc")


def spawn(command: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    """Start `command` as the leader of a new session, its output appended to `log_path`."""
    with log_path.open("ab") as log_file:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(  # noqa: S603 - commands are built by parts.py, not input
            command,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env={**os.environ, **env},
            start_new_session=True,
        )


def signal_group(pgid: int, signum: signal.Signals) -> None:
    # Permission denied means the id now names somebody else's group: ours is gone.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def group_alive(pgid: int) -> bool:
    """Whether a process of the group still runs; zombies hold no port or lock, and where
    PID 1 does not reap (some containers) an orphan's zombie would otherwise count forever."""
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    if not (_PROC / "self" / "stat").exists():
        return True  # no /proc (macOS): a zombie counts, it is reaped soon enough there
    return any(_runs_in_group(stat, pgid) for stat in _PROC.glob("[0-9]*/stat"))


def _runs_in_group(stat: Path, pgid: int) -> bool:
    try:
        text = stat.read_text()
    except OSError:  # the process ended while we looked
        return False
    # "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
    state, _ppid, pgrp = text.rpartition(")")[2].split()[:3]
    return int(pgrp) == pgid and state not in ("Z", "X")


def wait_group_gone(process: subprocess.Popen[bytes], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        process.poll()  # reap the leader, or it stays a zombie of ours
        if not group_alive(process.pid):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


def stop_group(process: subprocess.Popen[bytes], grace: float) -> None:
    """SIGTERM the whole group, SIGKILL what is left after `grace` seconds."""
    signal_group(process.pid, signal.SIGTERM)
    if not wait_group_gone(process, grace):
        signal_group(process.pid, signal.SIGKILL)
        wait_group_gone(process, grace)
