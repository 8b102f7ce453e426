"""What the checkout page shows: order lines named from the event, the test cards."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from client.shapes import Json, first, seat_sections, ticket_types

# Stripe test cards that localstripe (the dev and test provider) handles as labelled;
# the payments service turns `tok_visa` into the matching payment method. (localstripe
# charges `pm_card_visa_chargeDeclined` when it is not attached to a customer, so that
# card is not offered.)
TEST_CARDS = (
    ("tok_visa", "Visa •••• 4242 — succeeds"),
    ("pm_card_visa", "Visa •••• 4242 (payment method) — succeeds"),
    ("pm_card_chargeCustomerFail", "Visa •••• 0341 — charge fails"),
)
OPEN_STATUSES = ("created", "awaiting:payment")


def payment_body(order_id: str, card: str) -> dict[str, str]:
    """`tok_...` travels as the original API's `token`, `pm_...` as `paymentMethod`."""
    key = "paymentMethod" if card.startswith("pm_") else "token"
    return {"orderId": order_id, key: card}


@dataclass
class OrderLine:
    label: str
    quantity: int
    unit_price: Any
    total: Any
    discount: Any = None  # off the whole line, when a voucher gave one
    tax_rate: Any = None  # a percentage
    tax_amount: Any = None
    tax_included: bool = True


def _multiply(price: Any, quantity: int) -> Any:
    try:
        return Decimal(str(price)) * quantity
    except (InvalidOperation, ValueError):
        return None


def _names(event: Json | None) -> tuple[dict[str, str], dict[str, str]]:
    """Ticket type names and seat descriptions by id, from the event's definition."""
    type_names = {str(t.get("id")): str(t.get("name")) for t in ticket_types(event or {})}
    seat_names = {
        seat.id: f"{section.name} row {row.label} seat {seat.label}".strip()
        for section in seat_sections(event or {})
        for row in section.rows
        for seat in row.seats
    }
    return type_names, seat_names


def order_lines(order: Json, event: Json | None) -> list[OrderLine]:
    """One line per item, named by ticket type and seat when the event is known."""
    ticket = first(order, "ticket")
    if isinstance(ticket, dict):
        title = str(first(ticket, "title", default="Resale ticket"))
        price = first(ticket, "price")
        return [OrderLine(title, 1, price, price)]
    type_names, seat_names = _names(event)
    lines = []
    for item in first(order, "items", default=[]) or []:
        type_id = str(first(item, "ticketTypeId", default=""))
        label = str(first(item, "ticketTypeName", "name", default=type_names.get(type_id, type_id)))
        seat_id = first(item, "seatId")
        if seat_id:
            label = f"{label} — {seat_names.get(str(seat_id), seat_id)}"
        quantity = int(first(item, "quantity", default=1))
        unit_price = first(item, "unitPrice", "price")
        total = first(item, "total", default=None) or _multiply(unit_price, quantity)
        lines.append(
            OrderLine(
                label,
                quantity,
                unit_price,
                total,
                first(item, "discount"),
                first(item, "taxRate"),
                first(item, "taxAmount"),
                first(item, "taxIncluded", default=True) is not False,
            )
        )
    return lines
