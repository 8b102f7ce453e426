"""Editing a show's inventory: ticket type changes, added stock and a new seat map.

A change may never take away what is sold or held: a quantity stays at or above
sold + held, and a sold or held seat can be neither removed nor moved to another
ticket type. Sold and held come from the orders the catalog has seen (see
sales.py); orders remains the authority on holds. `Show.edited_by` applies the
rest of an edit.
"""

from __future__ import annotations

from dataclasses import replace

from ticketing_common.domain_errors import RuleViolation
from tickets.domain.drafts import SectionSpec, ShowPatch, TicketTypeChange
from tickets.domain.sales import Sales
from tickets.domain.seating import Section, resolve_seating, seat_types
from tickets.domain.ticket_types import TicketType, check_type_names, type_id


def inventory_after(
    types: tuple[TicketType, ...], sections: tuple[Section, ...], patch: ShowPatch, sales: Sales
) -> tuple[tuple[TicketType, ...], tuple[Section, ...]]:
    """A show's ticket types and seat map after `patch`; seated types count their seats."""
    seated = bool(sections)
    new_types = _changed_types(types, seated, patch.ticket_types, sales)
    new_sections = sections
    if patch.seating is not None:
        new_sections = _new_layout(sections, patch.seating, new_types, sales)
    if seated:
        changed = {c.id for c in patch.ticket_types if c.id}
        new_types = _seat_counts(new_types, new_sections, changed)
    return new_types, new_sections


def _changed_types(
    current: tuple[TicketType, ...],
    seated: bool,
    changes: tuple[TicketTypeChange, ...],
    sales: Sales,
) -> tuple[TicketType, ...]:
    """The show's types after `changes`: existing ones edited, new ones appended."""
    types = {t.id: t for t in current}
    next_number = max((int(t.id[1:]) for t in current if t.id[1:].isdigit()), default=0)
    for n, change in enumerate(changes):
        if change.quantity is not None and seated:
            raise RuleViolation(
                "Seated ticket types take their quantity from the seat map",
                f"ticketTypes.{n}.quantity",
            )
        if change.hidden and seated:
            raise RuleViolation("A seated ticket type cannot be hidden", f"ticketTypes.{n}.hidden")
        if change.id is not None:
            types[change.id] = _changed_type(types, change, n, sales)
            continue
        if change.name is None or change.price is None:
            raise RuleViolation("A new ticket type needs a name and a price", f"ticketTypes.{n}")
        if change.quantity is None and not seated:
            raise RuleViolation("Quantity is required", f"ticketTypes.{n}.quantity")
        next_number += 1
        new_id = type_id(next_number)
        types[new_id] = _taxed(
            TicketType(
                new_id, change.name, change.price, change.quantity or 0, change.max_per_order or 5
            ),
            change,
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
    edited = replace(
        existing,
        name=(change.name or existing.name).strip(),
        price=existing.price if change.price is None else change.price,
        quantity=quantity,
        max_per_order=change.max_per_order or existing.max_per_order,
    )
    return _taxed(edited, change)


def _taxed(ticket_type: TicketType, change: TicketTypeChange) -> TicketType:
    """The type with the change's tax rule and visibility, where it gives them."""
    return replace(
        ticket_type,
        tax_rate_bp=ticket_type.tax_rate_bp if change.tax_rate_bp is None else change.tax_rate_bp,
        tax_included=(
            ticket_type.tax_included if change.tax_included is None else change.tax_included
        ),
        hidden=ticket_type.hidden if change.hidden is None else change.hidden,
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
    current: tuple[Section, ...],
    seating: tuple[SectionSpec, ...],
    types: tuple[TicketType, ...],
    sales: Sales,
) -> tuple[Section, ...]:
    """The new seat map, keeping every sold or held seat with its ticket type."""
    if not current:
        raise RuleViolation("A general-admission event cannot get a seat map", "seating")
    sections = resolve_seating(seating, {t.name: t.id for t in types})
    before, after = seat_types(current), seat_types(sections)
    for seat in sorted(sales.sold_seats | sales.held_seats):
        if seat not in after:
            raise RuleViolation(f"Seat {seat} is sold or held and cannot be removed", "seating")
        if before.get(seat) is not None and after[seat] != before[seat]:
            raise RuleViolation(f"Seat {seat} is sold or held and cannot change type", "seating")
    return sections


def _seat_counts(
    types: tuple[TicketType, ...], sections: tuple[Section, ...], changed: set[str]
) -> tuple[TicketType, ...]:
    """Seated types with their quantity counted from the seat map."""
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
