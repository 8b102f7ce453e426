"""Seat maps: the layout organizers describe, expanded into seats with stable ids.

Seat ids follow the shared rule of the event contract (`ticketing_common.events.seat_id`:
`<section>-<row>-<label>`, each part reduced to letters, digits and `_`), so the ids
orders derives from `seatRows` are the ids shown here. `index` is the seat's position
in its row, which is how orders finds adjacent seats.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ticketing_common.domain_errors import RuleViolation
from ticketing_common.events import SeatRowDefinition, seat_id, seat_id_part
from tickets.domain.drafts import SectionSpec


@dataclass(frozen=True)
class SeatRow:
    label: str
    seat_labels: tuple[str, ...]
    ticket_type_id: str


@dataclass(frozen=True)
class Section:
    name: str
    rows: tuple[SeatRow, ...]

    def row_definitions(self) -> list[SeatRowDefinition]:
        """The rows as `event.created` / `event.updated` carry them (labels, not seats)."""
        return [
            SeatRowDefinition(
                section=self.name,
                row=row.label,
                ticket_type_id=row.ticket_type_id,
                labels=list(row.seat_labels),
            )
            for row in self.rows
        ]


@dataclass(frozen=True)
class Seat:
    id: str
    section: str
    row: str
    label: str
    index: int
    ticket_type_id: str


def expand(sections: tuple[Section, ...]) -> Iterator[Seat]:
    for section in sections:
        for row in section.rows:
            for index, label in enumerate(row.seat_labels):
                yield Seat(
                    seat_id(section.name, row.label, label),
                    section.name,
                    row.label,
                    label,
                    index,
                    row.ticket_type_id,
                )


def seat_types(sections: tuple[Section, ...]) -> dict[str, str]:
    """Seat id -> ticket type id."""
    return {seat.id: seat.ticket_type_id for seat in expand(sections)}


def count_by_type(sections: tuple[Section, ...]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for section in sections:
        for row in section.rows:
            counts[row.ticket_type_id] = counts.get(row.ticket_type_id, 0) + len(row.seat_labels)
    return counts


def resolve_seating(seating: tuple[SectionSpec, ...], ids: dict[str, str]) -> tuple[Section, ...]:
    """The layout with ticket type names replaced by ids; unknown names are refused."""
    by_name = {name.casefold(): type_id for name, type_id in ids.items()}
    sections = []
    for s, section in enumerate(seating):
        rows = []
        for r, row in enumerate(section.rows):
            found = by_name.get(row.ticket_type.strip().casefold())
            if found is None:
                field = f"seating.sections.{s}.rows.{r}.ticketType"
                raise RuleViolation("Unknown ticket type", field)
            labels = tuple(label.strip() for label in row.seat_labels)
            rows.append(SeatRow(row.label.strip(), labels, found))
        sections.append(Section(section.name.strip(), tuple(rows)))
    layout = tuple(sections)
    check_layout(layout)
    return layout


def check_layout(sections: tuple[Section, ...]) -> None:
    """Reject duplicate sections, rows or seats, naming the offending field.

    Duplicates are compared by their id form ignoring case: "A 1", "a-1" and "A_1" clash.
    """
    sections_seen: set[str] = set()
    for s, section in enumerate(sections):
        where = f"seating.sections.{s}"
        if not section.name.strip():
            raise RuleViolation("Section name is required", f"{where}.name")
        _unique(
            sections_seen,
            seat_id_part(section.name).casefold(),
            "Duplicate section name",
            f"{where}.name",
        )
        rows_seen: set[str] = set()
        for r, row in enumerate(section.rows):
            row_field = f"{where}.rows.{r}"
            if not row.label.strip():
                raise RuleViolation("Row label is required", f"{row_field}.label")
            _unique(
                rows_seen,
                seat_id_part(row.label).casefold(),
                "Duplicate row label",
                f"{row_field}.label",
            )
            labels_seen: set[str] = set()
            for label in row.seat_labels:
                if not label.strip():
                    raise RuleViolation("Seat labels must not be empty", f"{row_field}.seats")
                _unique(
                    labels_seen,
                    seat_id_part(label).casefold(),
                    "Duplicate seat label",
                    f"{row_field}.seats",
                )


def _unique(seen: set[str], key: str, message: str, field: str) -> None:
    if key in seen:
        raise RuleViolation(message, field)
    seen.add(key)
