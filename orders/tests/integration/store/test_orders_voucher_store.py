"""The voucher store on the real database: redemptions never exceed the maximum under
concurrency, redeeming twice for one order takes one, giving back is idempotent, and the
sweep's reads find what they should."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import pytest_asyncio
from bson import ObjectId

from orders.domain.vouchers import Discount, Voucher
from orders.store.vouchers import VoucherStore
from ticketing_common.domain_errors import Conflict

pytestmark = pytest.mark.asyncio(loop_scope="session")

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
S = timedelta(seconds=1)


@pytest_asyncio.fixture(loop_scope="session")
async def store(mongo_client: Any, database_name: str) -> VoucherStore:
    vouchers = VoucherStore(mongo_client[database_name])
    await vouchers.ensure_indexes()
    return vouchers


async def _voucher(store: VoucherStore, max_redemptions: int, code: str = "Spring") -> Voucher:
    voucher = Voucher(
        str(ObjectId()), str(ObjectId()), code, max_redemptions, NOW, Discount("percent", 1000)
    )
    await store.insert(voucher)
    return voucher


async def test_two_hundred_concurrent_redemptions_of_a_fifty_use_code_take_exactly_fifty(
    store: VoucherStore,
) -> None:
    voucher = await _voucher(store, 50)
    orders = [str(ObjectId()) for _ in range(200)]

    taken = await asyncio.gather(*(store.redeem(voucher, o, NOW) for o in orders))

    assert sum(taken) == 50
    stored = await store.get(voucher.id)
    assert stored is not None
    assert (stored.redeemed, stored.remaining) == (50, 0)
    winners = [o for o, won in zip(orders, taken, strict=True) if won]
    assert set(await store.held_by(orders)) == set(winners)


async def test_a_redemption_is_idempotent_per_order_and_given_back_once(
    store: VoucherStore,
) -> None:
    voucher = await _voucher(store, 2)
    assert await store.redeem(voucher, "o1", NOW)
    assert await store.redeem(voucher, "o1", NOW)  # a retry: the same redemption
    assert await store.redeem(voucher, "o2", NOW + S)
    assert not await store.redeem(voucher, "o3", NOW)

    await store.give_back(voucher.id, ["o1", "o9"])
    await store.give_back(voucher.id, ["o1"])  # a redelivery changes nothing

    stored = await store.get(voucher.id)
    assert stored is not None
    assert stored.redeemed == 1
    assert await store.held_by(["o1", "o2"]) == {"o2": voucher.id}
    assert await store.redeem(voucher, "o3", NOW)
    assert not await store.redeem(voucher, "o4", NOW)


async def test_the_sweep_finds_redemptions_made_in_its_window(store: VoucherStore) -> None:
    voucher = await _voucher(store, 5)
    for order_id, at in [("w-old", NOW - 30 * S), ("w-in", NOW - 15 * S), ("w-new", NOW)]:
        assert await store.redeem(voucher, order_id, at)

    found = await store.redeemed_between(NOW - 20 * S, NOW - 10 * S)

    assert found == {"w-in": voucher.id}


async def test_codes_are_unique_per_event_whatever_their_case(store: VoucherStore) -> None:
    voucher = await _voucher(store, 5, "Summer")
    twin = Voucher(str(ObjectId()), voucher.event_id, "SUMMER", 1, NOW)
    with pytest.raises(Conflict) as duplicate:
        await store.insert(twin)
    assert duplicate.value.field == "code"
    found = await store.by_code(voucher.event_id, "summer")
    assert found is not None
    assert found.id == voucher.id
    await store.disable(voucher.id)
    assert not await store.redeem(voucher, "after-disable", NOW)
