"""The recovery sweep's rules: claims grouped by order, and the windows one replica's
passes look at (they overlap by one sweep, so a claim written late is seen again)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from orders.domain.recovery import Claim, Holding, SweepWindows, by_order, claimed_within

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
S = timedelta(seconds=1)


def test_claims_group_by_order_with_their_shards_units_and_events() -> None:
    shards = [Claim("o1", "e1:ga:0", 3, "e1"), Claim("o1", "e1:ga:1", 1, "e1")]
    units = [Claim("o1", "seat:e1:A-1", 1, "e1"), Claim("o2", "listing:t1", 1, None)]

    assert by_order(shards, units) == {
        "o1": Holding(["e1:ga:0", "e1:ga:1"], ["seat:e1:A-1"], {"e1"}, 5),
        "o2": Holding([], ["listing:t1"], set(), 1),
    }


def test_a_window_is_open_below_and_closed_above() -> None:
    assert claimed_within(NOW, NOW - S, NOW)
    assert not claimed_within(NOW - S, NOW - S, NOW)
    assert not claimed_within(NOW + S, NOW - S, NOW)
    assert not claimed_within(None, NOW - S, NOW)


def test_windows_start_with_every_claim_then_slide_overlapping_by_one_sweep() -> None:
    windows = SweepWindows(grace=10 * S, sweep=5 * S)
    assert windows.since is None
    first = windows.until(NOW)
    assert first == NOW - 10 * S
    windows.advance(first)

    second = windows.until(NOW + 5 * S)
    assert (windows.since, second) == (NOW - 15 * S, NOW - 5 * S)
    windows.advance(second)

    # A claim made at c is in the first window ending at or after c, and in the next.
    claim = NOW - 7 * S
    assert claimed_within(claim, NOW - 15 * S, NOW - 5 * S)
    assert claimed_within(claim, windows.since, windows.until(NOW + 10 * S))
