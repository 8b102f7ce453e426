"""Unit tests: seat maps expanded into seats with stable ids, and refused when malformed."""

from __future__ import annotations

from dataclasses import replace

import pytest
from tickets_samples import NOW, SEATED, field_of

from ticketing_common.domain_errors import RuleViolation
from tickets.domain.drafts import RowSpec, SectionSpec
from tickets.domain.seating import expand
from tickets.domain.shows import new_show


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
