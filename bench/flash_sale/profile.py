"""What bounds a run, from a sampling profile: py-spy records the busiest parts (the
database and orders) over the timed window, and the report keeps where their samples
went (inclusive share per function, the process's entry frames left out, and the
functions the samples were in). Only samples of the thread holding the GIL are taken:
both are Python processes, so that is where their CPU goes.

py-spy reads another process's stack from outside (it needs ptrace, which root has),
so the profiled processes run unchanged; at 100 samples a second it costs them little.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.support import progress

RATE = 100  # samples a second
TOP = 12
# Frames every sample of a server passes through: they name the process, not the work.
ENTRY = re.compile(r"threading\.py|runpy|click/|uvicorn/(main|server|_compat)|asyncio/")


def _spy() -> str:
    return str(Path(sys.executable).with_name("py-spy"))


def summarize(raw: str, top: int = TOP) -> dict[str, Any]:
    """py-spy's raw output (`frame;frame;... count` lines) → the top functions."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        samples, frames = int(count), [re.sub(r":\d+\)$", ")", f) for f in stack.split(";")]
        total += samples
        own[frames[-1]] += samples
        for frame in {f for f in frames if not ENTRY.search(f) and not f.startswith("thread")}:
            inclusive[frame] += samples
    share = {f: round(100 * n / total, 1) for f, n in inclusive.most_common(top)} if total else {}
    spent = {f: round(100 * n / total, 1) for f, n in own.most_common(top)} if total else {}
    return {"samples": total, "inclusive_percent": share, "self_percent": spent}


@contextmanager
def profiled(pids: dict[str, int], into: dict[str, Any], top: int = TOP) -> Iterator[None]:
    """Profile each named process while the block runs; `into[name]` gets its summary."""
    folder = Path(tempfile.mkdtemp(prefix="bench-profile-"))
    # --gil: only the thread holding the GIL, i.e. where the process's CPU goes (a thread
    # blocked in a socket read is not work).
    options = ["-r", str(RATE), "-f", "raw", "--nonblocking", "--gil"]
    spies = {
        name: subprocess.Popen(
            [_spy(), "record", "-p", str(pid), *options, "-o", str(folder / f"{name}.txt")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name, pid in pids.items()
    }
    try:
        yield
    finally:
        for spy in spies.values():
            spy.send_signal(signal.SIGINT)
        for name, spy in spies.items():
            try:
                spy.wait(timeout=60)
                into[name] = summarize((folder / f"{name}.txt").read_text(), top)
            except (OSError, subprocess.TimeoutExpired) as error:
                spy.kill()
                progress(f"profile of {name} not taken: {error}")
