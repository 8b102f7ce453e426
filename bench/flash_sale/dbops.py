"""Database operations, counted by the database itself.

SecantusDB (secantus/metrics.py, commands.py) keeps mongod's `top` per collection:
counts of `find` (queries), `getMore`, `insert`, `update` and `delete` (remove), plus
`commands` for everything else, and a read/write lock split of all of them; `aggregate`,
`count` and `distinct` take the read lock, `findAndModify` and `createIndexes` the write
lock. So per collection: aggregate = read-lock commands (readLock - queries - getmore)
and command = write-lock commands (writeLock - insert - update - remove). Commands that
name no collection (commitTransaction, hello, endSessions, these very `top` and
`serverStatus` calls) appear only in `serverStatus` opcounters, which count every
command once, named or not: all opcounters minus all `top` counts is reported as
"(no collection)". `top` also keeps the
time each collection's operations took in the server: reported as `server_ms`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ticketing_common.mongo import MongoClient

KINDS = ("insert", "query", "update", "delete", "getmore", "aggregate", "command")
UNNAMED = "(no collection)"
# Time the server spent on the collection's operations (`top`'s total, in microseconds):
# reported as ms per hold, next to the counts, to show which operations cost.
SERVER_MS = "server_ms"


def _kinds(sections: dict[str, dict[str, int]]) -> dict[str, int]:
    def count(section: str) -> int:
        return sections[section]["count"]

    written = count("insert") + count("update") + count("remove")
    return {
        "insert": count("insert"),
        "query": count("queries"),
        "update": count("update"),
        "delete": count("remove"),
        "getmore": count("getmore"),
        "aggregate": count("readLock") - count("queries") - count("getmore"),
        "command": count("writeLock") - written,
        SERVER_MS: sections["total"]["time"],
    }


@dataclass(frozen=True)
class DbSnapshot:
    by_collection: dict[str, dict[str, int]]
    commands: int  # all serverStatus opcounters: every command once, named or not


async def db_snapshot(mongo: MongoClient) -> DbSnapshot:
    top = (await mongo.admin.command("top"))["totals"]
    status = await mongo.admin.command("serverStatus")
    by_collection = {ns: _kinds(sections) for ns, sections in top.items() if ns != "note"}
    return DbSnapshot(by_collection, sum(int(n) for n in status["opcounters"].values()))


def _named_commands(snapshot: DbSnapshot) -> int:
    return sum(k[kind] for k in snapshot.by_collection.values() for kind in KINDS)


def ops_per_hold(before: DbSnapshot, after: DbSnapshot, holds: int) -> dict[str, Any]:
    """database.collection → kind → operations per successful hold (non-zero only), and
    the server's ms per hold on that collection."""
    figures: dict[str, Any] = {}
    for ns, kinds in sorted(after.by_collection.items()):
        earlier = before.by_collection.get(ns, dict.fromkeys([*KINDS, SERVER_MS], 0))
        spent = {k: round((kinds[k] - earlier[k]) / holds, 2) for k in KINDS}
        if any(spent.values()):
            server_ms = (kinds[SERVER_MS] - earlier[SERVER_MS]) / 1000 / holds
            figures[ns] = {**{k: v for k, v in spent.items() if v}, SERVER_MS: round(server_ms, 1)}
    unnamed = (after.commands - before.commands) - (
        _named_commands(after) - _named_commands(before)
    )
    figures[UNNAMED] = {"command": round(unnamed / holds, 2)}
    named = list(figures.values())
    figures["total"] = round(sum(v for k in named for kind, v in k.items() if kind in KINDS), 1)
    figures[f"total_{SERVER_MS}"] = round(sum(k.get(SERVER_MS, 0.0) for k in named), 1)
    return figures
