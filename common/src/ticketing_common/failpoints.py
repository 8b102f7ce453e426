"""Crash points for fault tests: the process dies exactly where a real crash hurts most.

A failpoint is armed by naming it in `TICKETING_FAILPOINTS`, either bare
(`listener.after_commit`) or for one place (`listener.after_commit:payments-order-created`).
Armed, it kills its own process with SIGKILL — no cleanup, no `finally`, as a power
cut would. Unarmed (always, outside fault tests) it costs one set lookup.
"""

from __future__ import annotations

import functools
import logging
import os
import signal

from ticketing_common.config import armed_failpoints

log = logging.getLogger(__name__)


@functools.cache
def _armed() -> frozenset[str]:
    return armed_failpoints()


def crash_here(name: str, where: str | None = None) -> None:
    armed = _armed()
    if not armed or (name not in armed and f"{name}:{where}" not in armed):
        return
    log.warning("failpoint reached: killing this process", extra={"failpoint": name})
    for handler in logging.getLogger().handlers:
        handler.flush()
    os.kill(os.getpid(), signal.SIGKILL)
