"""Every query the services run on a request or consumer path is served by an index.

The whole system runs on free ports (`profiled_stack`); the database profiler records
every command of every service database while a realistic scenario goes through the
gateway (`perf_scenario`); then each distinct query shape — namespace, command, the
filter's field names and operators, values ignored — of `find`, `distinct`, `count`,
`aggregate` (its leading `$match`), `update`, `delete` and `findAndModify` (their
filters) is explained with a real filter of its own. A shape no index serves fails the
test, unless its collection is on the short `ALLOWED_SCANS` list below.

How SecantusDB (0.7.0b3, `secantus/storage.py`: `_try_index_id_keys` runs a query,
`_pick_index_for_filter` explains one) picks an index, so you can write queries it
serves. "The filter" is the whole filter document, its top-level keys in order:

1. Any top-level operator key — `$expr`, `$or`, `$and`, `$nor` — and no index is used
   at all, whatever the other fields: `{_id: x, $expr: ...}` reads the collection
   (measured: 200 ms over 20,000 documents, against under 1 ms by `_id`). Filter by
   `_id` alone and put the guard in an update pipeline (`$cond`), as
   `orders.store.counters.CounterStore.claim_many` does; split an `$or` into queries.
2. `_id` alone: `{_id: v}`, `{_id: {$eq: v}}`, `{_id: {$in: [...]}}` are point lookups.
3. Only bare equalities (no operator values, any number of fields): an index whose
   LEADING fields are exactly those fields, in any order (a longer index is fine, the
   shortest one wins). A partial index counts its `partialFilterExpression`'s fields.
4. Equalities plus exactly ONE field with operators, all among `$eq $gt $gte $lt $lte
   $in`: an index whose leading fields are the equality fields (any order) directly
   followed by that field. `$ne`, `$nin`, `$exists`, `$regex`, `$elemMatch`, `$not`
   are not such operators, and two operator fields do not fit.
5. One field alone: `{f: v}` or `{f: {<operators of rule 4>}}` uses an index whose
   leading field is `f` (single-field preferred); `{f: {$exists: true}}` only a SPARSE
   single-field index on `f`. A sparse index is skipped when the query could match a
   document without `f` (`{f: null}`, `$exists: false`, `$ne`).
6. A single-field PARTIAL index on `f` whose filter covers every other field.
7. Otherwise (no top-level operator): the FIRST top-level clause, in the filter's
   order, that rules 2, 3 or 5 serve on its own fetches the candidates, and the rest of
   the filter is applied to them. `explain` does NOT report this (it says COLLSCAN for
   `{_id: {$in: [...]}, status: {$ne: "x"}}`, which runs by `_id` in under 1 ms), so
   this test explains each clause alone to find it. Put the selective clause first;
   for an `$elemMatch`, add the dotted equality before it:
   `{"tickets.id": t, "tickets": {"$elemMatch": {"id": t, "used_at": None}}}`.

Also: a `count` command with a filter always reads every document (`count_documents`
is an aggregate with a leading `$match`, which follows the rules above); an empty
filter reads every document even when a sort walks an index; so does an aggregate
whose first stage is not `$match`.

The test takes 25-45 s on 2 cores, the stack's start-up included; `-s` prints every
shape with how it is served.
"""

from __future__ import annotations

from typing import Any

import pytest
from perf_query_shapes import Capture, Verdict, capture, verdict
from perf_scenario import run_scenario
from perf_stack import ProfiledStack

from ticketing_common.devstack.parts import SERVICES
from ticketing_common.mongo import MongoClient, connect_mongo

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

# Each service's database is named after the service (devstack: MONGO_DB=<service>).
SERVICE_DATABASES = SERVICES
# Collections a scan is acceptable on, each with why it stays provably tiny; keep the
# list short: `"<db>.<collection>": "why it never grows"`.
ALLOWED_SCANS: dict[str, str] = {
    "orders.creations": (
        "the outbox of new orders (ticketing_common.creations): a record lives from just"
        " before its order's insert until the relay publishes it, a crashed hold's until"
        " its id is fenced; the relay's sweep reads them all"
    ),
}
# The scenario ran when at least this many shapes showed up, and at least these per
# database (a lost profile or a step that silently did nothing shows here).
# (A run showed 64: auth 4, tickets 13, orders 34, expiration 1, payments 12.)
MIN_SHAPES = 45
MIN_SHAPES_PER_DATABASE = {"auth": 3, "tickets": 9, "orders": 24, "payments": 8}


async def _set_profiling(mongo: MongoClient, level: int) -> None:
    for name in SERVICE_DATABASES:
        await mongo[name].command("profile", level)


async def _profiled(mongo: MongoClient) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for name in SERVICE_DATABASES:
        entries += await mongo[name]["system.profile"].find({}).to_list()
    return entries


async def _verdicts(mongo: MongoClient, found: Capture) -> dict[str, Verdict]:
    verdicts = {}
    for shape, query in sorted(found.queries.items()):
        database = shape.namespace.split(".", 1)[0]
        verdicts[str(shape)] = await verdict(mongo[database], query)
    return verdicts


def _report(found: Capture, verdicts: dict[str, Verdict]) -> str:
    lines = [f"{len(found.queries)} shapes: {found.per_database()}"]
    for shape, query in sorted(found.queries.items()):
        how = verdicts[str(shape)].how
        lines.append(f"  {shape}  x{query.seen}  -> {how}\n      e.g. {query.filter}")
    return "\n".join(lines)


async def test_every_query_of_a_day_is_served_by_an_index(profiled_stack: ProfiledStack) -> None:
    mongo = connect_mongo(profiled_stack.mongo_uri)
    try:
        await _set_profiling(mongo, 2)
        await run_scenario(profiled_stack.gateway_url)
        await _set_profiling(mongo, 0)
        found = capture(await _profiled(mongo))
        verdicts = await _verdicts(mongo, found)
    finally:
        await mongo.close()
    report = _report(found, verdicts)
    print(report)  # shown with -s
    assert len(found.queries) >= MIN_SHAPES, report
    for database, least in MIN_SHAPES_PER_DATABASE.items():
        assert found.per_database().get(database, 0) >= least, report
    offenders = [
        f"{shape}: {verdict_.how}\n    e.g. {found_query.filter}"
        for shape, found_query in sorted(found.queries.items())
        if not (verdict_ := verdicts[str(shape)]).indexed and shape.namespace not in ALLOWED_SCANS
    ]
    assert not offenders, "queries no index serves:\n" + "\n".join(offenders)
