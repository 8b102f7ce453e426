"""Stripe webhooks: signature check (pure), then asynchronous confirmations applied once.

The signature is Stripe's scheme: `Stripe-Signature: t=<unix time>,v1=<hex>` where
v1 = HMAC-SHA256(secret, f"{t}.{body}"); anything unsigned, forged or older than the
tolerance is refused before the body is even parsed. The header comes from anyone, so
it is read strictly: a timestamp of ASCII digits of a sane length (not 5,000 nines,
not "²", which `str.isdigit` accepts and `int` refuses), signatures of 64 hex digits.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
from dataclasses import dataclass
from typing import Any

from payments.context import Payments
from payments.domain import Payment, charge_idempotency_key
from payments.failures import ChargeDeclined, failure_reason
from payments.ports import WebhookEvents
from payments.refunds import refund_if_cancelled
from payments.settlement import record_failure, record_success
from payments.stripe_provider import CHARGE_KEY

log = logging.getLogger(__name__)
# Unix seconds (ten digits until the year 2286): more is not a timestamp.
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"[0-9a-f]{64}")
# Stripe sends a timestamp and a few signatures; a longer header is not Stripe's.
MAX_HEADER_LENGTH = 1024


class InvalidWebhook(Exception):
    pass


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    """The `Stripe-Signature` header value for a payload (used by tests and tools)."""
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify_signature(
    payload: bytes, header: str | None, secret: str, now: float, tolerance: int
) -> None:
    timestamp, signatures = _parse_header(header)
    expected = sign(payload, secret, timestamp).split("v1=", 1)[1]
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise InvalidWebhook("Invalid webhook signature")
    if abs(now - timestamp) > tolerance:
        raise InvalidWebhook("Webhook timestamp outside the tolerance")


def _parse_header(header: str | None) -> tuple[int, list[str]]:
    """The timestamp and the well-formed v1 signatures of a `Stripe-Signature` header."""
    if not header:
        raise InvalidWebhook("Missing Stripe-Signature header")
    if len(header) > MAX_HEADER_LENGTH:
        raise InvalidWebhook("Malformed Stripe-Signature header")
    parts = [item.split("=", 1) for item in header.split(",") if "=" in item]
    timestamps = [value.strip() for key, value in parts if key.strip() == "t"]
    signatures = [value.strip() for key, value in parts if key.strip() == "v1"]
    # Only ASCII hex can be compared in constant time (`compare_digest` refuses the rest).
    wellformed = [value for value in signatures if _SIGNATURE.fullmatch(value)]
    if len(timestamps) != 1 or not _TIMESTAMP.fullmatch(timestamps[0]) or not signatures:
        raise InvalidWebhook("Malformed Stripe-Signature header")
    return int(timestamps[0]), wellformed


@dataclass(frozen=True)
class WebhookEvent:
    id: str
    type: str
    object: dict[str, Any]


def parse_event(payload: bytes) -> WebhookEvent:
    try:
        body = json.loads(payload)
        event = WebhookEvent(str(body["id"]), str(body["type"]), dict(body["data"]["object"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidWebhook("Malformed webhook event") from exc
    return event


async def handle_event(ctx: Payments, seen: WebhookEvents, event: WebhookEvent) -> bool:
    """Apply a verified event; False when this event id was handled before."""
    if await seen.seen(event.id):
        return False
    if event.type in ("payment_intent.succeeded", "payment_intent.payment_failed"):
        await _settle_intent(ctx, event)
    else:
        log.info("webhook ignored", extra={"type": event.type, "webhook_id": event.id})
    await seen.record(event.id, event.type, ctx.clock())
    return True


async def _attempt_of_intent(ctx: Payments, event: WebhookEvent) -> Payment | None:
    """The synchronous reply may not be stored yet: the order's active attempt, but only
    if the intent was made by that very attempt (a late webhook of an earlier attempt
    must not settle a newer one)."""
    metadata = event.object.get("metadata") or {}
    order_id = metadata.get("orderId")
    payment = await ctx.payments.active_for(str(order_id)) if order_id else None
    if payment is None:
        return None
    expected = charge_idempotency_key(payment.order_id, payment.attempt)
    return payment if metadata.get(CHARGE_KEY) == expected else None


async def _settle_intent(ctx: Payments, event: WebhookEvent) -> None:
    intent_id = str(event.object.get("id", ""))
    payment = await ctx.payments.by_provider_ref(intent_id)
    if payment is None:
        payment = await _attempt_of_intent(ctx, event)
    if payment is None:
        log.info("webhook for an unknown payment", extra={"intent": intent_id})
        return
    if event.type == "payment_intent.succeeded":
        await record_success(ctx, payment, intent_id)
        await refund_if_cancelled(ctx, payment.order_id)
        return
    error = event.object.get("last_payment_error") or {}
    declined = ChargeDeclined(str(error.get("code") or "card_declined"), error.get("decline_code"))
    await record_failure(ctx, payment, failure_reason(declined))
