"""Unit tests: creating a show from a draft, and cancelling it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tickets_samples import NOW, START, draft, field_of

from ticketing_common.domain_errors import RuleViolation
from tickets.domain.drafts import ShowPatch, TicketTypeSpec
from tickets.domain.sales import tally
from tickets.domain.shows import MAX_SELLABLE_UNITS, new_show


def test_a_general_admission_show_gets_short_stable_type_ids() -> None:
    show = new_show("e1", "org", draft(), NOW)
    assert [(t.id, t.name, t.quantity) for t in show.ticket_types] == [
        ("t1", "GA", 100),
        ("t2", "VIP", 10),
    ]
    assert show.category == "music"
    event = show.created_event()
    assert event.version == 0
    assert event.seats == []
    assert event.ticket_types[1].price == 9000


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": START}, "endsAt"),
        ({"starts_at": NOW - timedelta(minutes=1)}, "startsAt"),
        (
            {"ticket_types": (TicketTypeSpec("GA", 1, 1), TicketTypeSpec(" ga ", 1, 1))},
            "ticketTypes.1.name",
        ),
        ({"ticket_types": (TicketTypeSpec("GA", 1, None),)}, "ticketTypes.0.quantity"),
        (
            {"ticket_types": (TicketTypeSpec("GA", 1, MAX_SELLABLE_UNITS + 1),)},
            "ticketTypes",
        ),
    ],
)
def test_bad_drafts_are_refused_naming_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(RuleViolation) as error:
        new_show("e1", "org", draft(**changes), NOW)
    assert field_of(error) == field


def test_cancel_bumps_the_version_once() -> None:
    show = new_show("e1", "org", draft(), NOW)
    cancelled = show.cancelled_by("org")
    assert (cancelled.status, cancelled.version) == ("cancelled", 1)
    assert cancelled.cancelled_by("org") is cancelled
    with pytest.raises(RuleViolation):
        cancelled.edited_by("org", ShowPatch(name="x"), tally([], NOW), NOW)
