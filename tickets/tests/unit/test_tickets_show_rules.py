"""Unit tests: creating and editing shows, seat-layout expansion, order records, listings."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from ticketing_common.domain_errors import Conflict, DomainError, Forbidden, RuleViolation
from tickets.domain.drafts import RowSpec, SectionSpec, ShowDraft, TicketTypeSpec, Venue
from tickets.domain.listings import Listing
from tickets.domain.patching import ShowPatch, TicketTypeChange, apply_patch, cancel
from tickets.domain.sales import OrderLine, OrderRecord, advance, tally
from tickets.domain.seating import expand
from tickets.domain.shows import MAX_SELLABLE_UNITS, new_show

NOW = datetime(2030, 1, 1, tzinfo=UTC)
START = NOW + timedelta(days=30)


def draft(**changes: object) -> ShowDraft:
    base = ShowDraft(
        name="Jazz Night",
        description="Live",
        category="Music",
        venue=Venue("Hall", "1 Main St"),
        starts_at=START,
        ends_at=START + timedelta(hours=3),
        hold_minutes=15,
        currency="usd",
        ticket_types=(TicketTypeSpec("GA", 2000, 100), TicketTypeSpec("VIP", 9000, 10)),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


SEATED = draft(
    ticket_types=(TicketTypeSpec("Stalls", 3000, None), TicketTypeSpec("Box", 8000, None)),
    seating=(
        SectionSpec(
            "Main Floor",
            (RowSpec("A", ("1", "2", "3"), "stalls"), RowSpec("B", ("1", "2"), "Box")),
        ),
    ),
)


def field_of(error: pytest.ExceptionInfo[DomainError]) -> str | None:
    return error.value.field


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


def test_seat_layout_expands_to_deterministic_ids_with_row_positions() -> None:
    show = new_show("e1", "org", SEATED, NOW)
    seats = list(expand(show.sections))
    assert [s.id for s in seats] == [
        "Main_Floor-A-1",
        "Main_Floor-A-2",
        "Main_Floor-A-3",
        "Main_Floor-B-1",
        "Main_Floor-B-2",
    ]
    assert [s.index for s in seats] == [0, 1, 2, 0, 1]
    assert [t.quantity for t in show.ticket_types] == [3, 2]
    assert seats[3].ticket_type_id == "t2"
    event = show.created_event()
    assert event.seats == []
    assert [(r.row, r.labels) for r in event.seat_rows] == [
        ("A", ["1", "2", "3"]),
        ("B", ["1", "2"]),
    ]
    # orders derives the seats from the rows with the shared rule: the same ids, the same order
    assert [(s.id, s.index, s.ticket_type_id) for s in event.all_seats()] == [
        (s.id, s.index, s.ticket_type_id) for s in seats
    ]


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


@pytest.mark.parametrize(
    ("rows", "field"),
    [
        ((RowSpec("A", ("1", "1"), "Stalls"),), "seating.sections.0.rows.0.seats"),
        (
            (RowSpec("A", ("1",), "Stalls"), RowSpec("a ", ("2",), "Box")),
            "seating.sections.0.rows.1.label",
        ),
        ((RowSpec("A", ("1",), "Nope"),), "seating.sections.0.rows.0.ticketType"),
        ((RowSpec("A", ("1",), "Stalls"),), "ticketTypes.1.name"),  # Box has no seats
    ],
)
def test_bad_seat_maps_are_refused_naming_the_field(rows: tuple[RowSpec, ...], field: str) -> None:
    with pytest.raises(RuleViolation) as error:
        new_show("e1", "org", replace(SEATED, seating=(SectionSpec("S", rows),)), NOW)
    assert field_of(error) == field


def record(state: str, *lines: OrderLine, expires: datetime | None = None) -> OrderRecord:
    return OrderRecord("o1", state, "e1", None, lines, expires)  # type: ignore[arg-type]


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
        apply_patch(
            show, ShowPatch(ticket_types=(TicketTypeChange("t1", quantity=49),)), sales, NOW
        )
    assert field_of(error) == "ticketTypes.0.quantity"
    edited = apply_patch(
        show,
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
    assert apply_patch(edited, ShowPatch(name="Late Jazz"), sales, NOW) is edited


def test_patch_never_removes_or_retypes_a_held_or_sold_seat() -> None:
    show = new_show("e1", "org", SEATED, NOW)
    sales = tally([record("created", OrderLine("t1", 1, 3000, "Main_Floor-A-3"))], NOW)
    smaller = (SectionSpec("Main Floor", (RowSpec("A", ("1", "2"), "Stalls"),)),)
    with pytest.raises(RuleViolation, match="Main_Floor-A-3"):
        apply_patch(show, ShowPatch(seating=smaller), sales, NOW)
    retyped = (SectionSpec("Main Floor", (RowSpec("A", ("1", "2", "3"), "Box"),)),)
    with pytest.raises(RuleViolation, match="change type"):
        apply_patch(show, ShowPatch(seating=retyped), sales, NOW)
    bigger = (
        SectionSpec(
            "Main Floor",
            (RowSpec("A", ("1", "2", "3", "4"), "Stalls"), RowSpec("B", ("1",), "Box")),
        ),
    )
    edited = apply_patch(show, ShowPatch(seating=bigger), sales, NOW)
    assert [t.quantity for t in edited.ticket_types] == [4, 1]


def test_cancel_bumps_the_version_once() -> None:
    show = new_show("e1", "org", draft(), NOW)
    cancelled = cancel(show)
    assert (cancelled.status, cancelled.version) == ("cancelled", 1)
    assert cancel(cancelled) is cancelled
    with pytest.raises(RuleViolation):
        apply_patch(cancelled, ShowPatch(name="x"), tally([], NOW), NOW)


def test_order_records_only_move_forward() -> None:
    created = record("created", OrderLine("t1", 2, 100))
    cancelled = record("cancelled")
    assert advance(None, cancelled) == cancelled  # cancel first: remembered as a tombstone
    assert advance(cancelled, created) is None  # the late create holds nothing
    after = advance(created, cancelled)
    assert after is not None
    assert after.state == "cancelled"
    assert after.lines == created.lines
    assert advance(created, created) is None


def test_listing_locks_releases_and_sells_by_order() -> None:
    listing = Listing("l1", "Ticket", 2000, "seller")
    locked = listing.locked_by("o1")
    assert locked is not None
    assert (locked.order_id, locked.version) == ("o1", 1)
    assert locked.released_by("o0") is None  # a stale cancel of another order
    with pytest.raises(RuleViolation, match="reserved"):
        locked.edited("seller", "T", 1, None)
    released = locked.released_by("o1")
    assert released is not None
    assert (released.order_id, released.version) == (None, 2)
    sold = locked.sold_to("o1")
    assert sold is not None
    assert sold.sold
    assert sold.version == 1
    with pytest.raises(Forbidden):
        listing.edited("someone-else", "T", 1, None)
    with pytest.raises(Conflict):
        listing.edited("seller", "T", 1, expected_version=3)
