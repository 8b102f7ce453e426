"""Unit tests: editing a show never takes away what is sold or held."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from tickets_samples import NOW, SEATED, draft, field_of, record

from ticketing_common.domain_errors import RuleViolation
from tickets.domain.drafts import RowSpec, SectionSpec, ShowPatch, TicketTypeChange
from tickets.domain.sales import OrderLine, tally
from tickets.domain.shows import new_show


def test_patch_never_goes_below_sold_plus_unexpired_holds() -> None:
    show = new_show("e1", "org", draft(), NOW)
    sales = tally(
        [
            record("completed", OrderLine("t1", 30, 2000)),
            replace(
                record("created", OrderLine("t1", 20, 2000)),
                order_id="o2",
                expires_at=NOW + timedelta(minutes=5),
            ),
            replace(
                record("created", OrderLine("t1", 40, 2000)),
                order_id="o3",
                expires_at=NOW - timedelta(minutes=1),
            ),
        ],
        NOW,
    )
    assert (sales.of("t1").sold, sales.of("t1").held, sales.of("t1").revenue) == (30, 20, 60000)
    with pytest.raises(RuleViolation, match="50") as error:
        show.edited_by(
            "org", ShowPatch(ticket_types=(TicketTypeChange("t1", quantity=49),)), sales, NOW
        )
    assert field_of(error) == "ticketTypes.0.quantity"
    edited = show.edited_by(
        "org",
        ShowPatch(
            name="Late Jazz",
            ticket_types=(
                TicketTypeChange("t1", quantity=50),
                TicketTypeChange(None, "Balcony", 500, 5),
            ),
        ),
        sales,
        NOW,
    )
    assert edited.version == 1
    assert edited.name == "Late Jazz"
    assert [(t.id, t.quantity) for t in edited.ticket_types] == [("t1", 50), ("t2", 10), ("t3", 5)]
    assert edited.edited_by("org", ShowPatch(name="Late Jazz"), sales, NOW) is edited


def test_patch_never_removes_or_retypes_a_held_or_sold_seat() -> None:
    show = new_show("e1", "org", SEATED, NOW)
    sales = tally([record("created", OrderLine("t1", 1, 3000, "Main_Floor-A-3"))], NOW)
    smaller = (SectionSpec("Main Floor", (RowSpec("A", ("1", "2"), "Stalls"),)),)
    with pytest.raises(RuleViolation, match="Main_Floor-A-3"):
        show.edited_by("org", ShowPatch(seating=smaller), sales, NOW)
    retyped = (SectionSpec("Main Floor", (RowSpec("A", ("1", "2", "3"), "Box"),)),)
    with pytest.raises(RuleViolation, match="change type"):
        show.edited_by("org", ShowPatch(seating=retyped), sales, NOW)
    bigger = (
        SectionSpec(
            "Main Floor",
            (RowSpec("A", ("1", "2", "3", "4"), "Stalls"), RowSpec("B", ("1",), "Box")),
        ),
    )
    edited = show.edited_by("org", ShowPatch(seating=bigger), sales, NOW)
    assert [t.quantity for t in edited.ticket_types] == [4, 1]
