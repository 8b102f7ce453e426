"""How long a hold lasts, and the rules of the replicated catalog it is taken on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from math import ceil

from orders.domain.errors import EventUnavailable, HoldCapReached
from orders.domain.order import Order, new_order_id
from orders.domain.order_parts import Line, VoucherRef
from ticketing_common.domain_errors import RuleViolation


@dataclass(frozen=True)
class TicketType:
    id: str
    name: str
    price: int
    quantity: int
    max_per_order: int
    seated: bool
    shards: int = 1  # counter shards of a general-admission type
    tax_rate_bp: int = 0  # hundredths of a percent
    tax_included: bool = True
    hidden: bool = False  # sold only with a voucher that unlocks it

    def line(self, quantity: int, seat_id: str | None = None) -> Line:
        """Units of this type at its price, taxed by its rule (no discount yet)."""
        return Line(self.id, quantity, self.price, seat_id, 0, self.tax_rate_bp, self.tax_included)


@dataclass(frozen=True)
class EventInfo:
    """The replica of a show: what orders needs to take and price a hold."""

    id: str
    organizer_id: str
    name: str
    starts_at: datetime
    ends_at: datetime
    hold_minutes: int
    currency: str
    status: str
    version: int
    ticket_types: list[TicketType] = field(default_factory=list)

    def ticket_type(self, type_id: str, field: str = "ticketTypeId") -> TicketType:
        for ticket_type in self.ticket_types:
            if ticket_type.id == type_id:
                return ticket_type
        raise RuleViolation(f"Unknown ticket type {type_id}", field)

    def buyer_cap(self, factor: int) -> int:
        """How many tickets of this event one buyer may hold at once: `factor` orders of
        the largest per-order maximum."""
        return factor * max((t.max_per_order for t in self.ticket_types), default=1)

    def check_buyer_cap(self, held: int, wanted: int, factor: int) -> None:
        if held + wanted > (cap := self.buyer_cap(factor)):
            raise HoldCapReached(held, cap)

    def ensure_on_sale(self, now: datetime) -> None:
        if self.status == "cancelled":
            raise EventUnavailable("The event is cancelled")
        if self.ends_at <= now:
            raise EventUnavailable("The event has ended")

    def check_quantity(
        self,
        type_id: str,
        quantity: int,
        item: str | None = None,
        unlocked: frozenset[str] = frozenset(),
    ) -> TicketType:
        """`item` names the request's item (`items.0`) the quantity was asked in; a hidden
        type reads as unknown unless a voucher `unlocked` it."""
        prefix = f"{item}." if item else ""
        ticket_type = self.ticket_type(type_id, f"{prefix}ticketTypeId")
        if ticket_type.hidden and type_id not in unlocked:
            raise RuleViolation(f"Unknown ticket type {type_id}", f"{prefix}ticketTypeId")
        if quantity < 1:
            raise RuleViolation("Quantity must be at least 1", f"{prefix}quantity")
        if quantity > ticket_type.max_per_order:
            raise RuleViolation(
                f"At most {ticket_type.max_per_order} tickets of {ticket_type.name} per order",
                f"{prefix}quantity",
            )
        return ticket_type

    def order_for(
        self,
        user_id: str,
        lines: list[Line],
        window: HoldWindow,
        now: datetime,
        voucher: VoucherRef | None = None,
    ) -> Order:
        """The user's new order for `lines` of this event, held until the window ends."""
        return Order(
            id=new_order_id(),
            user_id=user_id,
            kind="event",
            status="created",
            version=0,
            created_at=now,
            expires_at=window.expires_at,
            currency=self.currency,
            lines=lines,
            event_id=self.id,
            event_name=self.name,
            event_starts_at=self.starts_at,
            voucher=voucher,
        )


@dataclass(frozen=True)
class HoldWindow:
    expires_at: datetime
    notice: str | None = None


@dataclass(frozen=True)
class HoldTimes:
    """How long holds last: the event's own hold time, a fixed one for a resale listing,
    and an override of every length (tests use a couple of seconds)."""

    listing_minutes: float
    override_seconds: float | None = None

    def length(self, minutes: float) -> timedelta:
        if self.override_seconds:
            return timedelta(seconds=self.override_seconds)
        return timedelta(minutes=minutes)

    @property
    def listing(self) -> timedelta:
        return self.length(self.listing_minutes)


def hold_window(now: datetime, length: timedelta, ends_at: datetime | None) -> HoldWindow:
    """`now + length`, never past the event's end; a capped hold carries a notice."""
    if ends_at is not None and ends_at <= now:
        raise EventUnavailable("The event has ended")
    expires_at = now + length
    if ends_at is None or ends_at >= expires_at:
        return HoldWindow(expires_at)
    minutes = max(1, ceil((ends_at - now).total_seconds() / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return HoldWindow(ends_at, f"The event will end in {minutes} {unit}")


class VersionDecision(Enum):
    APPLY = "apply"
    IGNORE = "ignore"
    WAIT = "wait"


def version_decision(current: int | None, incoming: int, *, creates: bool) -> VersionDecision:
    """Replicas apply in version order: stale or duplicate → ignore, a gap → wait."""
    if current is None:
        return VersionDecision.APPLY if creates else VersionDecision.WAIT
    if incoming <= current:
        return VersionDecision.IGNORE
    return VersionDecision.APPLY if incoming == current + 1 else VersionDecision.WAIT


@dataclass(frozen=True)
class SeatMapChanges:
    """What bringing an event's seat units in line with its seat map changed."""

    inserted: int
    updated: int
    removed: int
