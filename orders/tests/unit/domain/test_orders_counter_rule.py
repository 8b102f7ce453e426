"""When a general-admission hold entry still takes its units (the Python side of the rule;
tests/integration/store/test_orders_counters.py checks the stored-query side agrees)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from orders.domain.counters import counter_free, entry_is_live

NOW = datetime(2030, 1, 1, tzinfo=UTC)
AHEAD, PAST = NOW + timedelta(minutes=1), NOW - timedelta(minutes=1)


def test_an_entry_is_live_while_unexpired_or_sold() -> None:
    assert entry_is_live({"n": 1, "expiresAt": AHEAD}, NOW)
    assert entry_is_live({"n": 1, "expiresAt": PAST, "sold": True}, NOW)
    assert not entry_is_live({"n": 1, "expiresAt": PAST}, NOW)
    assert not entry_is_live({"n": 1, "expiresAt": NOW}, NOW)  # expiring now is expired
    assert not entry_is_live({"n": 1, "expiresAt": PAST, "sold": False}, NOW)


def test_free_units_count_live_entries_only() -> None:
    doc = {
        "quantity": 10,
        "sold": 3,
        "holds": [
            {"n": 2, "expiresAt": AHEAD},
            {"n": 1, "expiresAt": PAST, "sold": True},
            {"n": 4, "expiresAt": PAST},
        ],
    }
    assert counter_free(doc, NOW) == (3, 4)
    assert counter_free({"quantity": 5, "sold": 0}, NOW) == (0, 5)
