"""Reading the API's JSON into what the pages show, tolerant of shape details.

The catalog and orders services are built alongside this client, so these readers
accept the documented shape and its close variants (a paged object or a bare array;
availability as a list of entries or as a map) instead of failing a page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

Json = dict[str, Any]


def first(obj: Any, *keys: str, default: Any = None) -> Any:
    """The first of `keys` present (and not None) in a JSON object."""
    if isinstance(obj, dict):
        for key in keys:
            if obj.get(key) is not None:
                return obj[key]
    return default


def page_items(body: Any) -> list[Json]:
    """Items of a paged object ({items|events|data|results: [...]}) or of a bare array."""
    items = body if isinstance(body, list) else first(body, "items", "events", "data", "results")
    return [item for item in items or [] if isinstance(item, dict)]


def page_total(body: Any, headers: Any, fallback: int) -> int:
    total = first(body, "total", "totalCount", "count")
    if total is None and headers is not None:
        total = headers.get("x-total-count")
    try:
        return int(total)
    except (TypeError, ValueError):
        return fallback


def _entries(value: Any, key_names: tuple[str, ...], value_names: tuple[str, ...]) -> Iterable[Any]:
    """(key, value) pairs from [{id, state}, ...] or {id: state} or {id: {state}}."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key, first(inner, *value_names) if isinstance(inner, dict) else inner
    elif isinstance(value, list):
        for entry in value:
            key = first(entry, *key_names)
            if key is not None:
                yield key, first(entry, *value_names)


@dataclass
class Availability:
    remaining: dict[str, int] = field(default_factory=dict)
    seats: dict[str, str] = field(default_factory=dict)


def read_availability(body: Any) -> Availability:
    result = Availability()
    types = first(body, "ticketTypes", "types", "remaining")
    for key, value in _entries(types, ("ticketTypeId", "id"), ("remaining", "available")):
        if isinstance(value, int):
            result.remaining[str(key)] = value
    seats = first(body, "seats", "seatStates")
    for key, value in _entries(seats, ("seatId", "id"), ("state", "status")):
        if isinstance(value, str):
            result.seats[str(key)] = value
    return result


@dataclass
class Seat:
    id: str
    label: str
    ticket_type_id: str | None


@dataclass
class SeatRow:
    label: str
    seats: list[Seat] = field(default_factory=list)


@dataclass
class Section:
    name: str
    rows: list[SeatRow] = field(default_factory=list)


def _seat_list(event: Json) -> list[Json]:
    """Seats as flat {id, section, row, label, index, ticketTypeId} records."""
    flat = first(event, "seats")
    if isinstance(flat, list):
        return [s for s in flat if isinstance(s, dict)]
    seats: list[Json] = []
    for section in first(first(event, "seating"), "sections", default=[]) or []:
        for row in first(section, "rows", default=[]) or []:
            row_seats = first(row, "seats")
            if not isinstance(row_seats, list):
                continue  # only a seat count: no seat ids to pick from
            for index, seat in enumerate(s for s in row_seats if isinstance(s, dict)):
                seats.append(
                    {
                        "section": first(section, "name", default=""),
                        "row": first(row, "label", "name", default=""),
                        "index": index,
                        "ticketTypeId": first(row, "ticketTypeId", "ticketType"),
                        **seat,
                    }
                )
    return seats


def seat_sections(event: Json) -> list[Section]:
    """The seat map grouped by section and row, seats in their row order."""
    sections: dict[str, Section] = {}
    rows: dict[tuple[str, str], SeatRow] = {}
    ordered = sorted(_seat_list(event), key=lambda s: int(first(s, "index", default=0) or 0))
    for seat in ordered:
        seat_id = first(seat, "id", "seatId")
        if seat_id is None:
            continue
        section_name = str(first(seat, "section", default=""))
        row_label = str(first(seat, "row", default=""))
        section = sections.setdefault(section_name, Section(section_name))
        if (section_name, row_label) not in rows:
            rows[(section_name, row_label)] = SeatRow(row_label)
            section.rows.append(rows[(section_name, row_label)])
        type_id = first(seat, "ticketTypeId", "ticketType")
        rows[(section_name, row_label)].seats.append(
            Seat(str(seat_id), str(first(seat, "label", default=seat_id)), type_id)
        )
    return list(sections.values())


def ticket_types(event: Json) -> list[Json]:
    types = first(event, "ticketTypes", "types", default=[])
    return [t for t in types if isinstance(t, dict)] if isinstance(types, list) else []


def seated_type_ids(sections: list[Section]) -> set[str]:
    return {
        str(seat.ticket_type_id)
        for section in sections
        for row in section.rows
        for seat in row.seats
        if seat.ticket_type_id is not None
    }
