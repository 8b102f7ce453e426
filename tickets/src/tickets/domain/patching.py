"""Editing a show: descriptive fields, times, prices, added stock and seats.

A change may never take away what is sold or held: a quantity stays at or above
sold + held, and a sold or held seat can be neither removed nor moved to another
ticket type. Sold and held come from the orders the catalog has seen (see
sales.py); orders remains the authority on holds.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from ticketing_common.domain_errors import Forbidden, RuleViolation
from tickets.domain.drafts import SectionSpec, Venue
from tickets.domain.sales import Sales
from tickets.domain.seating import Section, seat_types
from tickets.domain.shows import (
    Show,
    TicketType,
    check_inventory,
    check_times,
    check_type_names,
    resolve_seating,
    type_id,
)


@dataclass(frozen=True)
class TicketTypeChange:
    """An existing type (`id` set) to change, or a new type (`id` None)."""

    id: str | None = None
    name: str | None = None
    price: int | None = None
    quantity: int | None = None
    max_per_order: int | None = None


@dataclass(frozen=True)
class ShowPatch:
    name: str | None = None
    description: str | None = None
    category: str | None = None
    venue: Venue | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    hold_minutes: int | None = None
    ticket_types: tuple[TicketTypeChange, ...] = ()
    seating: tuple[SectionSpec, ...] | None = None


def ensure_organizer(show: Show, user_id: str) -> None:
    if show.organizer_id != user_id:
        raise Forbidden("Only the organizer may do this")


def cancel(show: Show) -> Show:
    """The cancelled show; cancelling twice changes nothing."""
    if show.status == "cancelled":
        return show
    return replace(show, status="cancelled", version=show.version + 1)


def apply_patch(show: Show, patch: ShowPatch, sales: Sales, now: datetime) -> Show:
    """The edited show with its version bumped, or `show` itself when nothing changed."""
    if show.status == "cancelled":
        raise RuleViolation("A cancelled event cannot be edited")
    starts_at = patch.starts_at or show.starts_at
    ends_at = patch.ends_at or show.ends_at
    if starts_at != show.starts_at:
        check_times(starts_at, ends_at, now)
    elif ends_at <= starts_at:
        raise RuleViolation("endsAt must be after startsAt", "endsAt")
    types = _apply_type_changes(show, patch.ticket_types, sales)
    sections = show.sections
    if patch.seating is not None:
        sections = _new_layout(show, patch.seating, types, sales)
    if show.seated:
        types = _seat_counts(types, sections, {c.id for c in patch.ticket_types if c.id})
    candidate = replace(
        show,
        name=(patch.name or show.name).strip(),
        description=(show.description if patch.description is None else patch.description).strip(),
        category=(patch.category or show.category).strip().lower(),
        venue=patch.venue or show.venue,
        starts_at=starts_at,
        ends_at=ends_at,
        hold_minutes=patch.hold_minutes or show.hold_minutes,
        ticket_types=types,
        sections=sections,
    )
    check_inventory(candidate)
    return show if candidate == show else replace(candidate, version=show.version + 1)


def _apply_type_changes(
    show: Show, changes: tuple[TicketTypeChange, ...], sales: Sales
) -> tuple[TicketType, ...]:
    types = {t.id: t for t in show.ticket_types}
    next_number = max((int(t.id[1:]) for t in show.ticket_types if t.id[1:].isdigit()), default=0)
    for n, change in enumerate(changes):
        if change.quantity is not None and show.seated:
            raise RuleViolation(
                "Seated ticket types take their quantity from the seat map",
                f"ticketTypes.{n}.quantity",
            )
        if change.id is not None:
            types[change.id] = _changed_type(types, change, n, sales)
            continue
        if change.name is None or change.price is None:
            raise RuleViolation("A new ticket type needs a name and a price", f"ticketTypes.{n}")
        if change.quantity is None and not show.seated:
            raise RuleViolation("Quantity is required", f"ticketTypes.{n}.quantity")
        next_number += 1
        new_id = type_id(next_number)
        types[new_id] = TicketType(
            new_id, change.name, change.price, change.quantity or 0, change.max_per_order or 5
        )
    _check_names(types, changes)
    return tuple(types.values())


def _changed_type(
    types: dict[str, TicketType], change: TicketTypeChange, n: int, sales: Sales
) -> TicketType:
    assert change.id is not None
    existing = types.get(change.id)
    if existing is None:
        raise RuleViolation("Unknown ticket type", f"ticketTypes.{n}.id")
    quantity = existing.quantity if change.quantity is None else change.quantity
    taken = sales.taken(existing.id)
    if quantity < taken:
        raise RuleViolation(
            f"Quantity cannot go below the {taken} tickets already sold or held",
            f"ticketTypes.{n}.quantity",
        )
    return TicketType(
        existing.id,
        (change.name or existing.name).strip(),
        existing.price if change.price is None else change.price,
        quantity,
        change.max_per_order or existing.max_per_order,
    )


def _check_names(types: dict[str, TicketType], changes: tuple[TicketTypeChange, ...]) -> None:
    names = [t.name for t in types.values()]
    try:
        check_type_names(names, 0)
    except RuleViolation:
        # Name the change that introduced the clash rather than a position in the full list.
        counts: dict[str, int] = {}
        for name in names:
            counts[name.strip().casefold()] = counts.get(name.strip().casefold(), 0) + 1
        for n, change in enumerate(changes):
            if change.name is not None and counts.get(change.name.strip().casefold(), 0) > 1:
                raise RuleViolation("Duplicate ticket type name", f"ticketTypes.{n}.name") from None
        raise


def _new_layout(
    show: Show, seating: tuple[SectionSpec, ...], types: tuple[TicketType, ...], sales: Sales
) -> tuple[Section, ...]:
    if not show.seated:
        raise RuleViolation("A general-admission event cannot get a seat map", "seating")
    sections = resolve_seating(seating, {t.name: t.id for t in types})
    before, after = seat_types(show.sections), seat_types(sections)
    for seat in sorted(sales.sold_seats | sales.held_seats):
        if seat not in after:
            raise RuleViolation(f"Seat {seat} is sold or held and cannot be removed", "seating")
        if before.get(seat) is not None and after[seat] != before[seat]:
            raise RuleViolation(f"Seat {seat} is sold or held and cannot change type", "seating")
    return sections


def _seat_counts(
    types: tuple[TicketType, ...], sections: tuple[Section, ...], changed: set[str]
) -> tuple[TicketType, ...]:
    counts: dict[str, int] = {}
    for seat_type in seat_types(sections).values():
        counts[seat_type] = counts.get(seat_type, 0) + 1
    result = []
    for ticket_type in types:
        seats = counts.get(ticket_type.id, 0)
        if seats == 0 and ticket_type.quantity == 0 and ticket_type.id not in changed:
            raise RuleViolation(f"No seats use ticket type {ticket_type.name}", "seating")
        result.append(replace(ticket_type, quantity=seats))
    return tuple(result)
