"""How fast this machine is, timed beside each run's figures (`bench.support.machine`): the
same work every time, so figures of different hosts can be told from a change of code.

The two-core host is not the same from one session to the next: the same commit's
50-buyer sale ran at 276 holds/s on one (`platform` ...fc-v595) and at 122-189 on the
next (...fc-v1045), an hour apart. The database fsyncs every commit
(`--sync-on-commit`), so disk flushes are timed beside the CPU.
"""

from __future__ import annotations

import os
import tempfile
import time

FSYNCS = 100


def cpu_probe_ms() -> float:
    """Milliseconds of one fixed pure-Python workload (best of three)."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        sum(i * i for i in range(300_000))
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1)


def fsync_ms() -> dict[str, float]:
    """Latency of a small write flushed to disk, as the database's commits are."""
    took = []
    with tempfile.NamedTemporaryFile(dir=tempfile.gettempdir()) as file:
        for _ in range(FSYNCS):
            file.write(b"x" * 512)
            file.flush()
            started = time.perf_counter()
            os.fsync(file.fileno())
            took.append(time.perf_counter() - started)
    took.sort()
    at = {"p50": FSYNCS // 2, "p90": FSYNCS * 9 // 10}
    return {name: round(took[i] * 1000, 2) for name, i in at.items()}


def speed() -> dict[str, object]:
    return {"cpu_probe_ms": cpu_probe_ms(), "fsync_ms": fsync_ms()}
