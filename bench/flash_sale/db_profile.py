"""The database's profiler over every service's database: on, off, and where its time
went, by collection and kind of command.

With `profile` level 2 the database records every operation it serves (it costs the
database time of its own: a profiled run is slower than the same run unprofiled). Each
row is a collection and a kind of command: how many commands, how many statements they
carried (an `update` or `insert` command carries many when it is a bulk write), and the
milliseconds the database spent in them (its own wall time, which includes waiting for
the commands it interleaves with), in total, per unit of work and at most in one command.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from bench.flash_sale.stack import Stack
from ticketing_common.mongo import Document

DATABASES = ("auth", "tickets", "orders", "expiration", "payments", "notifications")
TOP = 12  # rows kept, the most database time first
# The bulk fields of a write command: one statement per element.
STATEMENTS = ("updates", "documents", "deletes")


async def profiled(stack: Stack, level: int) -> None:
    for name in DATABASES:
        await stack.db(name).command("profile", level)


async def fresh_profiles(stack: Stack) -> None:
    """Empty, uncapped profile collections (the profiler must be off). The database makes
    its own capped, and a capped collection is scanned whole on every insert to trim it:
    with a sale's payments profiled, that took the database minutes."""
    for name in DATABASES:
        await stack.db(name).drop_collection("system.profile")
        await stack.db(name).create_collection("system.profile")


async def profile_entries(stack: Stack) -> list[Document]:
    entries: list[Document] = []
    for name in DATABASES:
        entries += await stack.db(name)["system.profile"].find().to_list()
    return entries


def database_time(entries: list[Document], units: int, unit: str) -> dict[str, dict[str, Any]]:
    """Profiler entries → per `collection kind`: commands, statements, ms (the most first);
    `ms_per_<unit>` over `units` (successful holds, cancelled orders)."""
    rows: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"commands": 0, "statements": 0, "ms_total": 0, "ms_max": 0}
    )
    for entry in entries:
        command = entry.get("command") or {}
        row = rows[f"{entry['ns']} {entry['op']}"]
        row["commands"] += 1
        bulk = [len(command[f]) for f in STATEMENTS if isinstance(command.get(f), list)]
        row["statements"] += sum(bulk) if bulk else 1
        millis = int(entry.get("millis", 0))
        row["ms_total"] += millis
        row["ms_max"] = max(row["ms_max"], millis)
    ranked = sorted(rows.items(), key=lambda item: -item[1]["ms_total"])[:TOP]
    return {
        name: {**row, f"ms_per_{unit}": round(row["ms_total"] / max(1, units), 2)}
        for name, row in ranked
    }
