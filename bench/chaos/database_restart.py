"""Scenario 6: `kill -9` SecantusDB (disk-backed, dev topology) in the middle of a hold
burst; the supervisor restarts it after a back-off of 8 s (so it is down for longer than
the services' driver waits for it) once its old process has let go of the storage.

While it is down, a request that cannot reach the database must get 503 in the error
shape with `Retry-After`, never 500 (statuses are counted by code); the services must
recover by themselves (no service process restarted); and nothing acknowledged may be
lost: every 201 is an order whose `order.created` reached every consumer.
"""

from __future__ import annotations

from typing import Any

from bench.chaos.burst import (
    KilledBurst,
    burst_measured,
    burst_standard,
    burst_with_kill,
    check_reach,
    check_truth,
    settle,
)
from bench.chaos.load import Outcome
from bench.chaos.stack import chaos_stack
from bench.chaos.verdict import Verdict
from ticketing_common.devstack import RestartPolicy

KILL_AFTER = 500  # hold requests finished
VICTIM = "mongo"
# How long the services' driver waits for a server before a request fails
# (ticketing_common.mongo: serverSelectionTimeoutMS): a shorter outage only delays.
DRIVER_WAIT_SECONDS = 5.0
# The supervisor's back-off before the restart: a step of its own policy (1, 2, 4, 8 s
# ...) long enough that the database stays down past the driver's wait, as after
# repeated crashes or a slow recovery of a large store, so requests do fail meanwhile.
RESTART_DELAY_SECONDS = 8.0


def error_answers(outcomes: list[Outcome]) -> dict[str, int]:
    """The 5xx answers by kind: a proper 503 (shape and Retry-After), or what else."""
    kinds: dict[str, int] = {}
    for outcome in outcomes:
        if outcome.status is None or outcome.status < 500:
            continue
        proper = outcome.status == 503 and outcome.shaped and outcome.retry_after
        kind = "503 shaped, Retry-After" if proper else f"{outcome.status} {outcome.error}"
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def first_served_after(burst: KilledBurst) -> float | None:
    """Seconds from the kill until a request sent after it was answered (201 or 409)."""
    served = [
        o.finished - burst.killed_at
        for o in burst.outcomes
        if o.started > burst.killed_at and o.status in (201, 409)
    ]
    return round(min(served), 2) if served else None


async def run() -> dict[str, Any]:
    slow = RestartPolicy(first_delay=RESTART_DELAY_SECONDS)
    async with chaos_stack("database-restart", "dev", restarts=slow) as stack:

        async def victim() -> str:
            return VICTIM

        burst = await burst_with_kill(stack, KILL_AFTER, victim)
        settled = await settle(stack, burst)
        exits = stack.service_exits()
    errors = error_answers(burst.outcomes)
    improper = {kind: n for kind, n in errors.items() if not kind.startswith("503 shaped")}
    recovered = first_served_after(burst)
    verdict = Verdict()
    verdict.check(not improper, f"5xx other than a shaped 503 with Retry-After: {improper}")
    verdict.check(not exits, f"services restarted (they should recover alone): {exits}")
    verdict.check(recovered is not None, "no request sent after the kill was served")
    verdict.check(bool(errors), "no request met the outage (nothing was refused)")
    check_truth(verdict, burst.outcomes, settled.truth)
    check_reach(verdict, settled.reach)
    standard = {
        **burst_standard(burst.outcomes, settled.truth, settled.reach),
        "recover_seconds": recovered,
    }
    measured = {
        "error_answers": errors,
        "restart_back_off_seconds": RESTART_DELAY_SECONDS,
        "driver_wait_seconds": DRIVER_WAIT_SECONDS,
        "service_exits": exits,
        **burst_measured(burst, settled),
    }
    meaning = {"recover_seconds": "from the kill until a request sent after it was served"}
    return verdict.row(standard, measured, meaning)
