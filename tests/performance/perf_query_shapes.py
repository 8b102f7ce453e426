"""Query shapes read from `system.profile`, and whether the database serves each by an index.

A shape is the namespace, the command and the filter's field names and operators, with
every value replaced by `?`: `orders.orders find {userId: ?, status: {$in: [?]}}`. Each
shape keeps the first real filter seen, which is what gets explained.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

Document = dict[str, Any]
# Stages that read no documents of the collection (or stream changes, not scan).
NOT_SCANS = ("$changeStream", "$collStats", "$indexStats", "$documents", "$listSessions")
LOGICAL = ("$and", "$or", "$nor")


@dataclass(frozen=True, order=True)
class QueryShape:
    namespace: str
    operation: str
    shape: str

    def __str__(self) -> str:
        return f"{self.namespace} {self.operation} {self.shape}"


@dataclass
class CapturedQuery:
    shape: QueryShape
    filter: Document
    sort: Document | None
    seen: int = 1


@dataclass(frozen=True)
class Verdict:
    indexed: bool
    how: str


@dataclass
class Capture:
    queries: dict[QueryShape, CapturedQuery] = field(default_factory=dict)

    def add(self, namespace: str, operation: str, filter_: Document, sort: Any = None) -> None:
        shape = QueryShape(namespace, operation, describe(filter_))
        if shape in self.queries:
            self.queries[shape].seen += 1
        else:
            sort_spec = dict(sort) if isinstance(sort, Mapping) else None
            self.queries[shape] = CapturedQuery(shape, dict(filter_), sort_spec)

    def per_database(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for shape in self.queries:
            database = shape.namespace.split(".", 1)[0]
            counts[database] = counts.get(database, 0) + 1
        return counts


def describe(value: Mapping[str, Any]) -> str:
    """`{a: ?, b: {$gt: ?}, $or: [{c: ?}], $expr: <expr>}`: names and operators, no values."""
    parts = []
    for key, inner in value.items():
        if key == "$expr":
            parts.append("$expr: <expr>")
        elif key in LOGICAL and isinstance(inner, list):
            clauses = ", ".join(describe(c) for c in inner if isinstance(c, Mapping))
            parts.append(f"{key}: [{clauses}]")
        elif key == "$elemMatch" and isinstance(inner, Mapping):
            parts.append(f"{key}: {describe(inner)}")
        else:
            parts.append(f"{key}: {_operand(inner)}")
    return "{" + ", ".join(parts) + "}"


def _operand(value: Any) -> str:
    if isinstance(value, Mapping) and value and all(str(k).startswith("$") for k in value):
        return describe(value)
    return "[?]" if isinstance(value, list) else "?"


def capture(entries: Iterable[Document]) -> Capture:
    """Every filtered read and write of the profiled commands, by shape."""
    found = Capture()
    for entry in entries:
        command = entry.get("command") or {}
        namespace = str(entry.get("ns", ""))
        # A command without a collection (ping, endSessions) or on the profile itself.
        if not command or "." not in namespace or ".system." in namespace:
            continue
        _add_command(found, namespace, next(iter(command)), command)
    return found


def _add_command(found: Capture, namespace: str, name: str, command: Document) -> None:
    if name in ("find", "distinct"):
        filter_ = command.get("filter") or command.get("query") or {}
        found.add(namespace, name, filter_, command.get("sort"))
    elif name == "count":
        found.add(namespace, name, command.get("query") or {})
    elif name in ("findAndModify", "findandmodify"):
        found.add(namespace, "findAndModify", command.get("query") or {}, command.get("sort"))
    elif name == "update":
        for statement in command.get("updates") or []:
            found.add(namespace, name, statement.get("q") or {})
    elif name == "delete":
        for statement in command.get("deletes") or []:
            found.add(namespace, name, statement.get("q") or {})
    elif name == "aggregate":
        pipeline = [stage for stage in command.get("pipeline") or [] if stage]
        first = pipeline[0] if pipeline else {}
        if any(stage in first for stage in NOT_SCANS):
            return
        # A leading $match is what the database plans with; without one, it reads all.
        rest = pipeline[1:] if "$match" in first else pipeline
        stages = " | ".join(next(iter(stage)) for stage in rest)
        operation = f"aggregate[{stages}]" if stages else "aggregate"
        found.add(namespace, operation, first.get("$match") or {})


async def explained_index(
    database: AsyncDatabase[Document], collection: str, filter_: Document, sort: Document | None
) -> str | None:
    """The index `explain` says a find with this filter walks, or None for COLLSCAN."""
    find: Document = {"find": collection, "filter": filter_}
    if sort:
        find["sort"] = sort
    reply = await database.command("explain", find, verbosity="queryPlanner")
    return _index_in(reply["queryPlanner"]["winningPlan"])


def _index_in(stage: Mapping[str, Any]) -> str | None:
    if stage.get("stage") in ("IXSCAN", "IDHACK"):
        return str(stage.get("indexName", "_id_"))
    children = [stage["inputStage"]] if "inputStage" in stage else []
    for child in [*children, *stage.get("inputStages", [])]:
        found = _index_in(child)
        if found is not None:
            return found
    return None


async def verdict(database: AsyncDatabase[Document], query: CapturedQuery) -> Verdict:
    """Whether SecantusDB's executor serves the query from an index (see the test's rules)."""
    filter_ = query.filter
    collection = query.shape.namespace.split(".", 1)[1]
    if not filter_:
        return Verdict(False, "no filter: reads every document")
    if query.shape.operation == "count":
        return Verdict(False, "count command: scans every document whatever the indexes")
    index = await explained_index(database, collection, filter_, query.sort)
    if index is not None:
        return Verdict(True, f"IXSCAN {index}")
    if not any(key.startswith("$") for key in filter_):
        # The executor's last resort, which explain does not report: the first clause
        # that an index serves on its own fetches the candidates, the rest filters them.
        for key, clause in filter_.items():
            index = await explained_index(database, collection, {key: clause}, None)
            if index is not None:
                return Verdict(True, f"IXSCAN {index} on `{key}` alone (explain: COLLSCAN)")
    return Verdict(False, "COLLSCAN")
