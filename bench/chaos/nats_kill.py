"""Scenarios 2 and 3: `kill -9` the broker under load; no acknowledged event is lost.

2 (cluster): the node leading the stream is killed during a 2,000-request hold burst,
then the node leading it by then during 2,000 publishes (each retried under its own
`Nats-Msg-Id` until acknowledged). 3 (dev): the one disk-backed nats-server is killed
during the burst. The supervisor restarts the node; the services must reconnect by
themselves (none restarted). Then every 201's `order.created` is in expiration's
schedules, tickets' records and payments' replica, read from each one's own store, and
every acknowledged publish is in the stream, once.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections import Counter
from typing import Any

from bench.chaos.burst import (
    CATCH_UP_SECONDS,
    KilledBurst,
    Settled,
    burst_measured,
    burst_standard,
    burst_with_kill,
    check_reach,
    check_truth,
    settle,
)
from bench.chaos.stack import ChaosStack, chaos_stack
from bench.chaos.streams import messages_on, publish_acked, stream_leader
from bench.chaos.verdict import Verdict

KILL_AFTER = 600  # hold requests finished
# Probes go to a subject of the stream no service consumes: what is checked is the stream
# itself (each acknowledged probe stored, and once), not a backlog of 2,000 more events.
PROBE_SUBJECT = "order.chaos-probe"
PUBLISHES = 2_000
PUBLISHERS = 20
KILL_AFTER_ACKS = 500


async def _publisher(
    stack: ChaosStack, waiting: list[str], acked: list[str], enough: asyncio.Event
) -> int:
    """Publish probes off `waiting` until none is left, each until acknowledged; `enough`
    is set at KILL_AFTER_ACKS acks → the failed tries."""
    tries = 0
    while waiting:
        probe = waiting.pop()
        payload = json.dumps({"id": probe}).encode()
        ack, failed = await publish_acked(stack.js, PROBE_SUBJECT, payload, probe)
        tries += failed
        if ack is not None:
            acked.append(probe)
        if len(acked) >= KILL_AFTER_ACKS or not waiting:
            enough.set()
    return tries


async def _publish_with_kill(stack: ChaosStack) -> dict[str, Any]:
    """PUBLISHES probes, PUBLISHERS at a time, the stream's leader killed after
    KILL_AFTER_ACKS acks → what was acknowledged, and whether the stream kept it once."""
    waiting = [uuid.uuid4().hex for _ in range(PUBLISHES)]
    acked: list[str] = []
    enough = asyncio.Event()

    async def fault() -> tuple[str, float]:
        await enough.wait()
        name = str(await stream_leader(stack.js))
        at = stack.kill(name)
        return name, await stack.back(name, at)

    started = time.monotonic()
    tries, (name, back) = await asyncio.gather(
        asyncio.gather(*(_publisher(stack, waiting, acked, enough) for _ in range(PUBLISHERS))),
        fault(),
    )
    seconds = round(time.monotonic() - started, 1)
    stored = Counter(str(m.field("id")) for m in await messages_on(stack.js, PROBE_SUBJECT))
    return {
        "subject": PROBE_SUBJECT,
        "killed": name,
        "back_after_seconds": back,
        "publishes": PUBLISHES,
        "acknowledged": len(acked),
        "failed_tries": sum(tries),
        "publish_seconds": seconds,
        "acknowledged_not_in_stream": sum(1 for probe in acked if not stored[probe]),
        "stored_twice": sum(1 for n in stored.values() if n > 1),
    }


def _judge(burst: KilledBurst, settled: Settled, published: dict[str, Any] | None) -> Verdict:
    verdict = Verdict()
    check_truth(verdict, burst.outcomes, settled.truth)
    check_reach(verdict, settled.reach)
    verdict.check(
        burst.caught_up_seconds is not None,
        f"the 201s before the node was back had not reached every consumer "
        f"{CATCH_UP_SECONDS:g}s after it",
    )
    if published is not None:
        verdict.check(
            published["acknowledged"] == PUBLISHES,
            f"{PUBLISHES - published['acknowledged']} publishes never acknowledged",
        )
        lost = published["acknowledged_not_in_stream"]
        verdict.check(lost == 0, f"{lost} acknowledged publishes not in the stream")
        twice = published["stored_twice"]
        verdict.check(twice == 0, f"{twice} publishes stored twice (retried, same id)")
    return verdict


def _standard(
    burst: KilledBurst, settled: Settled, published: dict[str, Any] | None
) -> dict[str, Any]:
    """The burst's figures, the publishes' added in; recovery: from the kill during the
    burst until every order answered 201 by the time the node was back had reached every
    consumer."""
    standard = burst_standard(burst.outcomes, settled.truth, settled.reach)
    if published is not None:
        standard["acknowledged_lost"] += published["acknowledged_not_in_stream"]
        standard["duplicated"] += published["stored_twice"]
    standard["recover_seconds"] = burst.caught_up_seconds
    return standard


async def _run(topology: str, stack: ChaosStack) -> dict[str, Any]:
    async def leader() -> str:
        return str(await stream_leader(stack.js)) if topology == "cluster" else "nats"

    burst = await burst_with_kill(stack, KILL_AFTER, leader)
    settled = await settle(stack, burst)
    published = await _publish_with_kill(stack) if topology == "cluster" else None
    exits = stack.service_exits()
    verdict = _judge(burst, settled, published)
    verdict.check(not exits, f"services restarted (they should reconnect): {exits}")
    measured: dict[str, Any] = {"burst": burst_measured(burst, settled), "service_exits": exits}
    if published is not None:
        measured["publishes"] = published
    meaning = {
        "recover_seconds": "from the kill during the burst until every order answered 201 "
        "by the time the node was back had reached every consumer",
    }
    return verdict.row(_standard(burst, settled, published), measured, meaning)


async def run_cluster() -> dict[str, Any]:
    async with chaos_stack("nats-node-kill", "cluster") as stack:
        return await _run("cluster", stack)


async def run_dev() -> dict[str, Any]:
    async with chaos_stack("dev-nats-kill", "dev") as stack:
        return await _run("dev", stack)
