"""What the services wrote in their logs (one JSON object a line): the evidence of a
terminated malformed event, a skipped duplicate, a failpoint, a released hold."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bson import ObjectId

from bench.chaos.stack import ChaosStack


def said(stack: ChaosStack, service: str, message: str) -> list[dict[str, Any]]:
    """Lines of every process of `service` (all replicas, all restarts) with `message`."""
    found = []
    for path in sorted(stack.log_dir.glob(f"{service}*.log")):
        for line in path.read_text(errors="replace").splitlines():
            if line.startswith("{") and message in line:
                entry = json.loads(line)
                if entry.get("msg") == message:
                    found.append(entry)
    return found


def by_durable(entries: list[dict[str, Any]]) -> dict[str, int]:
    counted: dict[str, int] = {}
    for entry in entries:
        durable = str(entry.get("durable"))
        counted[durable] = counted.get(durable, 0) + 1
    return counted


def held_for_nobody(releases: list[dict[str, Any]]) -> list[float]:
    """For each hold orders' recovery released: seconds from its claim to its release.

    The claim's time is the order id's (an ObjectId made as the hold starts, to the
    second), so each figure may be up to a second long."""
    seconds = []
    for entry in releases:
        released = datetime.fromisoformat(entry["ts"])
        claimed = ObjectId(entry["order_id"]).generation_time
        seconds.append(round((released - claimed).total_seconds(), 1))
    return seconds
