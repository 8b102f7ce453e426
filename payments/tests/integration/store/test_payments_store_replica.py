"""The orders replica keeps the newest version, on Mongo (real server) and on the fake."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import pytest_asyncio
from payments_fakes import FakeOrderReplicas

from payments.ports import OrderReplicas
from payments.store.replica import MongoOrderReplicas
from ticketing_common.mongo import MongoClient

pytestmark = pytest.mark.asyncio(loop_scope="session")

EXPIRES = datetime(2026, 11, 21, 10, 15, tzinfo=UTC)
CREATED = {"userId": "u1", "amount": 2050, "currency": "usd", "status": "created"}


@pytest_asyncio.fixture(loop_scope="session", params=["mongo", "fake"])
async def replicas(
    request: pytest.FixtureRequest, mongo_client: MongoClient, database_name: str
) -> OrderReplicas:
    if request.param == "fake":
        return FakeOrderReplicas()
    return MongoOrderReplicas(mongo_client[database_name])


async def test_the_newest_version_wins_and_repeats_change_nothing(
    replicas: OrderReplicas,
) -> None:
    assert await replicas.apply("o1", 0, {**CREATED, "expiresAt": EXPIRES})
    assert not await replicas.apply("o1", 0, {**CREATED, "expiresAt": EXPIRES})
    assert await replicas.apply("o1", 2, {**CREATED, "status": "complete"})
    assert not await replicas.apply("o1", 1, {**CREATED, "status": "cancelled"})
    order = await replicas.get("o1")
    assert order is not None
    # A later event leaves out what it does not carry: the hold's end stays known.
    assert (order.status, order.version, order.expires_at) == ("complete", 2, EXPIRES)
    assert await replicas.get("o2") is None


async def test_many_at_once_keep_the_newest_version_each(replicas: OrderReplicas) -> None:
    await replicas.apply("o1", 1, {**CREATED, "status": "complete"})
    await replicas.apply_many(
        [
            ("o1", 0, CREATED),  # older than stored: changes nothing
            ("o2", 0, CREATED),
            ("o2", 0, CREATED),  # a repeat, and the writes after it still happen
            ("o3", 0, CREATED),
            ("o3", 1, {**CREATED, "status": "cancelled"}),
        ]
    )
    await replicas.apply_many([])

    o1, o2, o3 = [await replicas.get(i) for i in ("o1", "o2", "o3")]
    assert o1 is not None
    assert (o1.status, o1.version) == ("complete", 1)
    assert o2 is not None
    assert (o2.status, o2.version) == ("created", 0)
    assert o3 is not None
    assert (o3.status, o3.version) == ("cancelled", 1)


async def test_new_orders_go_in_together_and_a_stored_one_keeps_its_newest_version(
    replicas: OrderReplicas,
) -> None:
    await replicas.apply("seen", 2, {**CREATED, "status": "complete"})
    await replicas.add_many(
        [
            ("new", 0, {**CREATED, "expiresAt": EXPIRES}),
            ("seen", 0, CREATED),  # stored already, newer: changes nothing
            ("new", 0, CREATED),  # a repeat within the batch
            ("later", 0, CREATED),
            ("later", 1, {**CREATED, "status": "cancelled"}),  # its next version, same batch
        ]
    )
    await replicas.add_many([("new", 0, CREATED)])  # a redelivered batch
    await replicas.add_many([])

    new, seen, later = [await replicas.get(i) for i in ("new", "seen", "later")]
    assert new is not None
    assert (new.status, new.version, new.expires_at) == ("created", 0, EXPIRES)
    assert seen is not None
    assert (seen.status, seen.version) == ("complete", 2)
    assert later is not None
    assert (later.status, later.version) == ("cancelled", 1)


async def test_cancelled_orders_among_some(replicas: OrderReplicas) -> None:
    await replicas.apply("live", 0, CREATED)
    await replicas.apply("gone", 1, {**CREATED, "status": "cancelled"})
    assert await replicas.cancelled_among(["live", "gone", "unknown"]) == {"gone"}
    assert await replicas.cancelled_among([]) == set()
