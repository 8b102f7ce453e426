"""Vouchers: an organizer's codes that discount an event's tickets or unlock a hidden type.

A voucher takes at most one discount — percent off a line, an amount off each ticket
(never below zero), or a fixed price per ticket — limited to some ticket types or to
all, and may unlock one hidden ticket type. It is usable between `valid_from` and
`valid_until` until it is disabled or `max_redemptions` orders hold it. Whether a
redemption fits is decided by the store's guarded write (`redeemed < max`, the order id
recorded), never by this object's `redeemed`, which only refuses early.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from orders.domain.holds import EventInfo
from orders.domain.order_parts import Line, VoucherRef
from orders.domain.pricing import percent_of
from ticketing_common.domain_errors import Conflict, Forbidden, RuleViolation

DiscountKind = Literal["percent", "amount", "fixed"]
CODE = re.compile(r"^[A-Za-z0-9_-]{3,32}$")
MAX_REDEMPTIONS = 100_000


class VoucherRefused(RuleViolation):
    """The code cannot be used for this hold (400, about the `voucher` field)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "voucher")


class VoucherUsedUp(Conflict):
    default_message = "This voucher has been used up"

    def __init__(self) -> None:
        super().__init__(None, "voucher")


def code_key(code: str) -> str:
    """Codes compare case-insensitively: the key they are unique and looked up by."""
    return code.strip().casefold()


@dataclass(frozen=True)
class Discount:
    kind: DiscountKind
    # percent: basis points (2550 = 25.5 %); amount and fixed: minor units per ticket.
    value: int

    def of(self, line: Line) -> int:
        """The discount on a whole line, never more than the line's subtotal."""
        subtotal = line.unit_price * line.quantity
        if self.kind == "percent":
            return min(subtotal, percent_of(subtotal, self.value))
        if self.kind == "amount":
            return min(self.value, line.unit_price) * line.quantity
        return max(0, line.unit_price - self.value) * line.quantity


@dataclass(frozen=True)
class Voucher:
    id: str
    event_id: str
    code: str
    max_redemptions: int
    created_at: datetime
    discount: Discount | None = None
    ticket_type_ids: tuple[str, ...] = ()  # empty: every ticket type
    unlocks: str | None = None  # a hidden ticket type it makes sellable
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    disabled: bool = False
    redeemed: int = 0

    @property
    def ref(self) -> VoucherRef:
        return VoucherRef(self.id, self.code)

    @property
    def unlocked(self) -> frozenset[str]:
        return frozenset({self.unlocks}) if self.unlocks else frozenset()

    @property
    def remaining(self) -> int:
        return max(0, self.max_redemptions - self.redeemed)

    def check_usable(self, now: datetime) -> None:
        """Refuse a disabled, not yet valid, expired or (as last read) used-up voucher."""
        if self.disabled:
            raise VoucherRefused("This voucher is no longer valid")
        if self.valid_from is not None and now < self.valid_from:
            raise VoucherRefused("This voucher is not valid yet")
        if self.valid_until is not None and now >= self.valid_until:
            raise VoucherRefused("This voucher has expired")
        if self.redeemed >= self.max_redemptions:
            raise VoucherUsedUp()

    def applies_to(self, type_id: str) -> bool:
        return not self.ticket_type_ids or type_id in self.ticket_type_ids

    def apply(self, lines: list[Line]) -> list[Line]:
        """The lines with this voucher's discount; refused when it changes nothing the
        order asks for (no line it discounts, no unlocked type in the order)."""
        uses_unlock = any(line.ticket_type_id in self.unlocked for line in lines)
        discount = self.discount
        applicable = [line for line in lines if self.applies_to(line.ticket_type_id)]
        if not uses_unlock and (discount is None or not applicable):
            raise VoucherRefused("This voucher does not apply to these tickets")
        if discount is None:
            return lines
        return [
            replace(line, discount=discount.of(line))
            if self.applies_to(line.ticket_type_id)
            else line
            for line in lines
        ]

    def disabled_now(self) -> Voucher:
        return replace(self, disabled=True)


@dataclass(frozen=True)
class VoucherSpec:
    """A voucher as an organizer describes it, before the rules below accept it."""

    code: str
    max_redemptions: int
    discount: Discount | None = None
    ticket_type_ids: tuple[str, ...] = ()
    unlocks: str | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None


def check_organizer(event: EventInfo, user_id: str) -> None:
    if event.organizer_id != user_id:
        raise Forbidden("Only the event's organizer may manage its vouchers")


def new_voucher(voucher_id: str, event: EventInfo, spec: VoucherSpec, now: datetime) -> Voucher:
    """A voucher of the event, or a RuleViolation naming the first bad field."""
    if not CODE.match(spec.code.strip()):
        raise RuleViolation("Code must be 3-32 letters, digits, '-' or '_'", "code")
    if not 1 <= spec.max_redemptions <= MAX_REDEMPTIONS:
        raise RuleViolation(f"maxRedemptions must be 1 to {MAX_REDEMPTIONS}", "maxRedemptions")
    for n, type_id in enumerate(spec.ticket_type_ids):
        event.ticket_type(type_id, f"ticketTypeIds.{n}")
    if spec.unlocks is not None and not event.ticket_type(spec.unlocks, "unlocks").hidden:
        raise RuleViolation("Only a hidden ticket type can be unlocked", "unlocks")
    if spec.discount is None and spec.unlocks is None:
        raise RuleViolation("Give a discount (percentOff, amountOff, fixedPrice) or unlocks")
    if spec.valid_from and spec.valid_until and spec.valid_until <= spec.valid_from:
        raise RuleViolation("validUntil must be after validFrom", "validUntil")
    return Voucher(
        id=voucher_id,
        event_id=event.id,
        code=spec.code.strip(),
        max_redemptions=spec.max_redemptions,
        created_at=now,
        discount=spec.discount,
        ticket_type_ids=tuple(dict.fromkeys(spec.ticket_type_ids)),
        unlocks=spec.unlocks,
        valid_from=spec.valid_from,
        valid_until=spec.valid_until,
    )
