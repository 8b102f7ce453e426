"""The hand-made messages of scenario 7 (stream_injection.py): duplicates of real
orders' `order.created`, a cancelled order's `order.created` after its cancellation,
synthetic orders cancelled before they are created, and malformed payloads on every
subject a service consumes."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from bson import ObjectId

from bench.chaos.stack import ChaosStack
from bench.chaos.streams import durables, messages_on, publish_acked
from ticketing_common.events import OrderCancelled, OrderCreated, OrderItem, UserCreated, utc_now

COPIES = 5  # orders whose order.created is sent again, each way
SYNTHETIC = 5
MALFORMED = (b"{not json", b'{"unexpected": true}')


def renamed(payload: bytes) -> bytes:
    """The same event as a new one: a new envelope id, everything else as it was."""
    return json.dumps({**json.loads(payload), "id": uuid.uuid4().hex}).encode()


def synthetic_pair(event_id: str) -> tuple[OrderCreated, OrderCancelled]:
    """An order of the sale's event (the services know its show) by a new buyer."""
    order = {
        "order_id": str(ObjectId()),
        "user_id": str(ObjectId()),
        "event_id": event_id,
        "items": [OrderItem(ticket_type_id="ga", quantity=1, unit_price=4950)],
        "amount": 4950,
    }
    expires_at = utc_now() + timedelta(hours=2)  # no expiry fires during the run
    return (
        OrderCreated(**order, version=0, expires_at=expires_at),
        OrderCancelled(**order, version=1, reason="cancelled_by_buyer"),
    )


async def inject(
    stack: ChaosStack, event_id: str, ids: list[str], cancelled: int, synthetic: list[str]
) -> dict[str, int]:
    """Publish the hand-made messages → how many of each kind. `ids[:cancelled]` are the
    cancelled orders; the ids of the synthetic orders are added to `synthetic`."""
    sent: list[tuple[str, bytes]] = []
    original = {
        str(m.field("orderId")): m.data for m in await messages_on(stack.js, "order.created")
    }
    sent += [("order.created", original[i]) for i in ids[cancelled : cancelled + COPIES]]
    copies = ids[cancelled + COPIES : cancelled + 2 * COPIES]
    sent += [("order.created", renamed(original[i])) for i in copies]
    sent += [("order.created", renamed(original[i])) for i in ids[:cancelled]]  # after cancel
    for _ in range(SYNTHETIC):
        first, then = synthetic_pair(event_id)
        synthetic.append(first.order_id)
        # Its buyer signed up first, as every buyer does (notifications mails them).
        buyer = UserCreated(user_id=first.user_id, email=f"{first.user_id}@example.com")
        sent.append((str(buyer.subject), buyer.to_json()))
        sent += [(str(then.subject), then.to_json()), (str(first.subject), first.to_json())]
    subjects = sorted({i.config.filter_subject or "" for i in (await durables(stack.js)).values()})
    malformed = [(subject, body) for subject in subjects if subject for body in MALFORMED]
    for subject, payload in sent + malformed:
        ack, _ = await publish_acked(stack.js, subject, payload, f"chaos-{uuid.uuid4().hex}")
        if ack is None:
            raise RuntimeError(f"injected message on {subject} never acknowledged")
    return {
        "same_event_new_msg_id": COPIES,
        "same_order_new_event_id": COPIES,
        "created_after_cancelled": cancelled,
        "synthetic_cancelled_before_created": SYNTHETIC,
        "malformed": len(malformed),
        "subjects_consumed": len(subjects),
    }
