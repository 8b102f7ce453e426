"""Counter shards of a type read as one counter: what availability reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from orders.domain.counters import counter_free, merge_shards


def test_merged_shards_read_as_one_counter() -> None:
    now = datetime(2030, 1, 1, tzinfo=UTC)
    live, gone = now + timedelta(minutes=5), now - timedelta(seconds=1)
    docs = [
        {"ticketTypeId": "ga", "quantity": 200, "sold": 10, "holds": [{"n": 2, "expiresAt": live}]},
        {"ticketTypeId": "ga", "quantity": 200, "sold": 5, "holds": [{"n": 3, "expiresAt": gone}]},
        {"ticketTypeId": "vip", "quantity": 50, "sold": 0, "holds": []},
    ]
    merged = {doc["ticketTypeId"]: doc for doc in merge_shards(docs)}
    assert counter_free(merged["ga"], now) == (2, 400 - 15 - 2)
    assert counter_free(merged["vip"], now) == (0, 50)
