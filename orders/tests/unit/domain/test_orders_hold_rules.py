"""Hold rules without I/O: the hold's expiry cap, refusals, replicas in version order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from orders.domain import EventUnavailable, NotEnoughTickets
from orders.domain.holds import VersionDecision, hold_window, version_decision

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


def test_hold_lasts_its_length_when_the_event_ends_later() -> None:
    window = hold_window(NOW, timedelta(minutes=15), NOW + timedelta(hours=2))
    assert window.expires_at == NOW + timedelta(minutes=15)
    assert window.notice is None


def test_hold_is_capped_at_the_event_end_with_a_notice() -> None:
    window = hold_window(NOW, timedelta(minutes=15), NOW + timedelta(minutes=7, seconds=10))
    assert window.expires_at == NOW + timedelta(minutes=7, seconds=10)
    assert window.notice == "The event will end in 8 minutes"
    one = hold_window(NOW, timedelta(minutes=15), NOW + timedelta(seconds=20))
    assert one.notice == "The event will end in 1 minute"


def test_no_hold_on_an_ended_event() -> None:
    with pytest.raises(EventUnavailable, match="ended"):
        hold_window(NOW, timedelta(minutes=15), NOW)


def test_not_enough_message() -> None:
    assert NotEnoughTickets(3, -1).message == (
        "Requested amount of tickets (3) not available. Only 0 available."
    )


@pytest.mark.parametrize(
    ("current", "incoming", "creates", "expected"),
    [
        (None, 0, True, VersionDecision.APPLY),
        (None, 1, False, VersionDecision.WAIT),
        (0, 1, False, VersionDecision.APPLY),
        (0, 3, False, VersionDecision.WAIT),
        (2, 2, False, VersionDecision.IGNORE),
        (2, 1, False, VersionDecision.IGNORE),
        (0, 0, True, VersionDecision.IGNORE),
    ],
)
def test_versions_apply_in_order(
    current: int | None, incoming: int, creates: bool, expected: VersionDecision
) -> None:
    assert version_decision(current, incoming, creates=creates) is expected
