"""Events (shows): ticket types or a seat map, and the rules a new show must satisfy."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from ticketing_common.domain_errors import RuleViolation
from ticketing_common.events import (
    EventCreated,
    EventUpdated,
    SeatRowDefinition,
    TicketTypeDefinition,
)
from tickets.domain.drafts import SectionSpec, ShowDraft, TicketTypeSpec, Venue
from tickets.domain.search import build_search_terms
from tickets.domain.seating import SeatRow, Section, check_layout, count_by_type

MAX_SELLABLE_UNITS = 100_000
# The whole seat map travels in every event.created/updated (as rows of labels, a few
# bytes a seat); a map whose message would not fit NATS's default 1 MB payload limit,
# with room for the envelope, is refused (only long seat labels can get there).
MAX_DEFINITION_BYTES = 900_000
ShowStatus = Literal["active", "cancelled"]


@dataclass(frozen=True)
class TicketType:
    id: str
    name: str
    price: int  # minor units
    quantity: int  # for seated shows: the number of seats of this type
    max_per_order: int = 5


@dataclass(frozen=True)
class Show:
    id: str
    organizer_id: str
    name: str
    description: str
    category: str
    venue: Venue
    starts_at: datetime
    ends_at: datetime
    hold_minutes: int
    currency: str
    ticket_types: tuple[TicketType, ...]
    sections: tuple[Section, ...] = ()
    status: ShowStatus = "active"
    version: int = 0
    created_at: datetime | None = field(default=None, compare=False)

    @property
    def seated(self) -> bool:
        return bool(self.sections)

    def search_terms(self) -> list[str]:
        primary = [self.name, self.venue.name, self.category, self.venue.address]
        return build_search_terms(primary, [self.description])

    def created_event(self) -> EventCreated:
        return EventCreated(**self._definition())

    def updated_event(self) -> EventUpdated:
        return EventUpdated(**self._definition())

    def _definition(self) -> dict[str, object]:
        return {
            "event_id": self.id,
            "organizer_id": self.organizer_id,
            "name": self.name,
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "hold_minutes": self.hold_minutes,
            "currency": self.currency,
            "status": self.status,
            "version": self.version,
            "ticket_types": [
                TicketTypeDefinition(
                    id=t.id,
                    name=t.name,
                    price=t.price,
                    quantity=t.quantity,
                    max_per_order=t.max_per_order,
                )
                for t in self.ticket_types
            ],
            "seat_rows": [
                SeatRowDefinition(
                    section=section.name,
                    row=row.label,
                    ticket_type_id=row.ticket_type_id,
                    labels=list(row.seat_labels),
                )
                for section in self.sections
                for row in section.rows
            ],
        }


def type_id(number: int) -> str:
    """Ticket type ids are short and stable within a show: t1, t2, ..."""
    return f"t{number}"


def check_times(starts_at: datetime, ends_at: datetime, now: datetime) -> None:
    if starts_at <= now:
        raise RuleViolation("startsAt must be in the future", "startsAt")
    if ends_at <= starts_at:
        raise RuleViolation("endsAt must be after startsAt", "endsAt")


def new_show(show_id: str, organizer_id: str, draft: ShowDraft, now: datetime) -> Show:
    """A show from an organizer's draft, or a RuleViolation naming the first bad field."""
    check_times(draft.starts_at, draft.ends_at, now)
    names = check_type_names([spec.name for spec in draft.ticket_types], 0)
    ids = {name: type_id(n) for n, name in enumerate(names, 1)}
    sections = resolve_seating(draft.seating, ids) if draft.seating is not None else ()
    types = tuple(
        build_type(spec, ids[spec.name.strip()], n, sections, draft.seating is not None)
        for n, spec in enumerate(draft.ticket_types)
    )
    show = Show(
        show_id,
        organizer_id,
        draft.name.strip(),
        draft.description.strip(),
        draft.category.strip().lower(),
        Venue(draft.venue.name.strip(), draft.venue.address.strip()),
        draft.starts_at,
        draft.ends_at,
        draft.hold_minutes,
        draft.currency,
        types,
        sections,
        created_at=now,
    )
    check_inventory(show)
    return show


def check_type_names(names: list[str], first_index: int, taken: Iterable[str] = ()) -> list[str]:
    """Trimmed names, refusing blanks and duplicates (case-insensitively)."""
    seen = {name.casefold() for name in taken}
    trimmed = []
    for n, name in enumerate(names, first_index):
        clean = name.strip()
        if not clean:
            raise RuleViolation("Ticket type name is required", f"ticketTypes.{n}.name")
        if clean.casefold() in seen:
            raise RuleViolation("Duplicate ticket type name", f"ticketTypes.{n}.name")
        seen.add(clean.casefold())
        trimmed.append(clean)
    return trimmed


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


def build_type(
    spec: TicketTypeSpec, type_id: str, n: int, sections: tuple[Section, ...], seated: bool
) -> TicketType:
    if seated:
        if spec.quantity is not None:
            raise RuleViolation(
                "Seated ticket types take their quantity from the seat map",
                f"ticketTypes.{n}.quantity",
            )
        quantity = count_by_type(sections).get(type_id, 0)
        if quantity == 0:
            raise RuleViolation("No seats use this ticket type", f"ticketTypes.{n}.name")
    elif spec.quantity is None:
        raise RuleViolation("Quantity is required", f"ticketTypes.{n}.quantity")
    else:
        quantity = spec.quantity
    return TicketType(type_id, spec.name.strip(), spec.price, quantity, spec.max_per_order)


def check_inventory(show: Show) -> None:
    units = sum(t.quantity for t in show.ticket_types)
    if units > MAX_SELLABLE_UNITS:
        field = "seating" if show.seated else "ticketTypes"
        raise RuleViolation(f"At most {MAX_SELLABLE_UNITS} sellable units per event", field)
    if not show.ticket_types:
        raise RuleViolation("At least one ticket type is required", "ticketTypes")
    if show.seated and len(show.updated_event().to_json()) > MAX_DEFINITION_BYTES:
        raise RuleViolation("The seat map is too large to publish; use shorter labels", "seating")
