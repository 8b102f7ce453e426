"""Events (shows): the aggregate with its rules for creation, edits, cancellation and the
definition it publishes. Ticket types, seat maps and inventory edits have their own modules."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

from ticketing_common.domain_errors import Conflict, Forbidden, RuleViolation
from ticketing_common.events import Event, EventCreated, EventUpdated
from tickets.domain.drafts import ShowDetails, ShowDraft, ShowPatch, Venue
from tickets.domain.patching import inventory_after
from tickets.domain.sales import Sales
from tickets.domain.search import build_search_terms
from tickets.domain.seating import Section, resolve_seating
from tickets.domain.stats import ShowStats
from tickets.domain.ticket_types import TicketType, build_type, check_type_names, type_id

MAX_SELLABLE_UNITS = 100_000
# The whole seat map travels in every event.created/updated (as rows of labels, a few
# bytes a seat); a map whose message would not fit NATS's default 1 MB payload limit,
# with room for the envelope, is refused (only long seat labels can get there).
MAX_DEFINITION_BYTES = 900_000
ShowStatus = Literal["active", "cancelled"]


class ShowChanged(Conflict):
    default_message = "The event was changed by someone else; reload and try again"


@dataclass(frozen=True, kw_only=True)
class Show(ShowDetails):
    id: str
    organizer_id: str
    ticket_types: tuple[TicketType, ...]
    sections: tuple[Section, ...] = ()
    status: ShowStatus = "active"
    version: int = 0
    created_at: datetime | None = field(default=None, compare=False)
    # The events this object's changes cause, for the outbox; never stored with the show.
    outgoing: tuple[Event, ...] = field(default=(), compare=False, repr=False)

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
            "ticket_types": [t.definition() for t in self.ticket_types],
            "seat_rows": [row for section in self.sections for row in section.row_definitions()],
        }

    def check_organizer(self, user_id: str) -> None:
        if self.organizer_id != user_id:
            raise Forbidden("Only the organizer may do this")

    def cancelled_by(self, user_id: str) -> Show:
        """The cancelled show; cancelling twice changes nothing (and publishes nothing)."""
        self.check_organizer(user_id)
        if self.status == "cancelled":
            return self
        return self._next_version(status="cancelled")

    def edited_by(
        self,
        user_id: str,
        patch: ShowPatch,
        sales: Sales,
        now: datetime,
        expected_version: int | None = None,
    ) -> Show:
        """The edited show as its next version, or `self` when nothing changed; never below
        what `sales` says is sold or held."""
        self.check_organizer(user_id)
        if expected_version is not None and expected_version != self.version:
            raise ShowChanged()
        if self.status == "cancelled":
            raise RuleViolation("A cancelled event cannot be edited")
        starts_at, ends_at = self._times_after(patch, now)
        types, sections = inventory_after(self.ticket_types, self.sections, patch, sales)
        candidate = replace(
            self,
            name=(patch.name or self.name).strip(),
            description=(
                self.description if patch.description is None else patch.description
            ).strip(),
            category=(patch.category or self.category).strip().lower(),
            venue=patch.venue or self.venue,
            starts_at=starts_at,
            ends_at=ends_at,
            hold_minutes=patch.hold_minutes or self.hold_minutes,
            ticket_types=types,
            sections=sections,
        )
        check_inventory(candidate)
        return self if candidate == self else candidate._next_version()

    def _times_after(self, patch: ShowPatch, now: datetime) -> tuple[datetime, datetime]:
        starts_at = patch.starts_at or self.starts_at
        ends_at = patch.ends_at or self.ends_at
        if starts_at != self.starts_at:
            check_times(starts_at, ends_at, now)
        elif ends_at <= starts_at:
            raise RuleViolation("endsAt must be after startsAt", "endsAt")
        return starts_at, ends_at

    def sales_stats(self, user_id: str, sales: Sales, now: datetime) -> ShowStats:
        """Sold, held, revenue and remaining per ticket type: the organizer's view only."""
        self.check_organizer(user_id)
        return ShowStats.of(self.id, self.currency, self.ticket_types, sales, now)

    def _next_version(self, **changes: Any) -> Show:
        """The show with `changes` as its next version, recording the `event.updated` that
        replicas apply in version order."""
        changed = replace(self, **changes, version=self.version + 1)
        return replace(changed, outgoing=(*self.outgoing, changed.updated_event()))


def check_times(starts_at: datetime, ends_at: datetime, now: datetime) -> None:
    if starts_at <= now:
        raise RuleViolation("startsAt must be in the future", "startsAt")
    if ends_at <= starts_at:
        raise RuleViolation("endsAt must be after startsAt", "endsAt")


def new_show(show_id: str, organizer_id: str, draft: ShowDraft, now: datetime) -> Show:
    """A show from an organizer's draft (recording its `event.created`), or a RuleViolation
    naming the first bad field."""
    check_times(draft.starts_at, draft.ends_at, now)
    names = check_type_names([spec.name for spec in draft.ticket_types], 0)
    ids = {name: type_id(n) for n, name in enumerate(names, 1)}
    sections = resolve_seating(draft.seating, ids) if draft.seating is not None else ()
    types = tuple(
        build_type(spec, ids[spec.name.strip()], n, sections, draft.seating is not None)
        for n, spec in enumerate(draft.ticket_types)
    )
    show = Show(
        name=draft.name.strip(),
        description=draft.description.strip(),
        category=draft.category.strip().lower(),
        venue=Venue(draft.venue.name.strip(), draft.venue.address.strip()),
        starts_at=draft.starts_at,
        ends_at=draft.ends_at,
        hold_minutes=draft.hold_minutes,
        currency=draft.currency,
        id=show_id,
        organizer_id=organizer_id,
        ticket_types=types,
        sections=sections,
        created_at=now,
    )
    check_inventory(show)
    return replace(show, outgoing=(show.created_event(),))


def check_inventory(show: Show) -> None:
    units = sum(t.quantity for t in show.ticket_types)
    if units > MAX_SELLABLE_UNITS:
        field = "seating" if show.seated else "ticketTypes"
        raise RuleViolation(f"At most {MAX_SELLABLE_UNITS} sellable units per event", field)
    if not show.ticket_types:
        raise RuleViolation("At least one ticket type is required", "ticketTypes")
    if show.seated and len(show.updated_event().to_json()) > MAX_DEFINITION_BYTES:
        raise RuleViolation("The seat map is too large to publish; use shorter labels", "seating")
