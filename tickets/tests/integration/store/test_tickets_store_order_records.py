"""Integration: order records are inserted when new and replaced when stored, on the real
Mongo wire server."""

from __future__ import annotations

import pytest
from pymongo import AsyncMongoClient

from ticketing_common.mongo import Document
from tickets.domain.sales import OrderLine, OrderRecord, OrderState
from tickets.store.orders import OrderRecordStore

pytestmark = pytest.mark.asyncio(loop_scope="session")


def record(order_id: str, state: OrderState) -> OrderRecord:
    return OrderRecord(order_id, state, "e1", lines=(OrderLine("t1", 2, 500),))


async def test_new_records_go_in_and_stored_ones_are_replaced(
    mongo_client: AsyncMongoClient[Document], database_name: str
) -> None:
    store = OrderRecordStore(mongo_client[database_name])
    await store.ensure_indexes()
    await store.save_many([record("o1", "created")], stored=[])

    await store.save_many([record("o1", "completed"), record("o2", "created")], stored=["o1"])

    found = await store.get_many(["o1", "o2", "o3"])
    assert {i: r.state for i, r in found.items()} == {"o1": "completed", "o2": "created"}
    assert found["o2"].lines == (OrderLine("t1", 2, 500),)
