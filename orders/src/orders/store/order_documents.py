"""Order documents <-> domain orders: the one mapping, used by the store (and by the
benchmarks' history preload)."""

from __future__ import annotations

from dataclasses import asdict

from orders.domain.order import Order
from orders.domain.order_parts import IssuedTicket, Line, ListingRef, VoucherRef
from ticketing_common.mongo import Document


def order_document(order: Order) -> Document:
    document = {
        "_id": order.id,
        "userId": order.user_id,
        "kind": order.kind,
        "status": order.status,
        "version": order.version,
        "createdAt": order.created_at,
        "expiresAt": order.expires_at,
        "currency": order.currency,
        "amount": order.amount,
        "lines": [asdict(line) for line in order.lines],
        "eventId": order.event_id,
        "eventName": order.event_name,
        "eventStartsAt": order.event_starts_at,
        "listing": asdict(order.listing) if order.listing else None,
        "tickets": [asdict(t) for t in order.tickets],
        "cancelReason": order.cancel_reason,
        "settling": order.settling,
        "voucher": asdict(order.voucher) if order.voucher else None,
    }
    if order.cancelled_at is not None:  # only then: the sparse index holds cancels only
        document["cancelledAt"] = order.cancelled_at
    return document


def order_from_document(doc: Document) -> Order:
    return Order(
        id=doc["_id"],
        user_id=doc["userId"],
        kind=doc["kind"],
        status=doc["status"],
        version=doc["version"],
        created_at=doc["createdAt"],
        expires_at=doc["expiresAt"],
        currency=doc["currency"],
        lines=[Line(**line) for line in doc["lines"]],
        event_id=doc.get("eventId"),
        event_name=doc.get("eventName"),
        event_starts_at=doc.get("eventStartsAt"),
        listing=ListingRef(**doc["listing"]) if doc.get("listing") else None,
        tickets=[IssuedTicket(**t) for t in doc.get("tickets", [])],
        cancel_reason=doc.get("cancelReason"),
        settling=doc.get("settling"),
        cancelled_at=doc.get("cancelledAt"),
        voucher=VoucherRef(**doc["voucher"]) if doc.get("voucher") else None,
    )
