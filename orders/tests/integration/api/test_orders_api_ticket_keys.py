"""The public keys of ticket keys, served by the orders service: a ticket bought through
it verifies offline with nothing but what `GET /api/orders/ticket-keys` returns."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest
from bson import ObjectId
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from orders.domain.signed_keys import read_signed_key
from ticketing_common.events import PaymentCreated

pytestmark = pytest.mark.asyncio(loop_scope="session")
KID = "test-1"  # the orders fixtures' signing key id (tests/conftest.py)


def _raw(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


async def test_the_public_keys_are_public_and_cacheable(orders_url: str) -> None:
    async with httpx.AsyncClient(base_url=orders_url) as anonymous:
        response = await anonymous.get("/api/orders/ticket-keys")

    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=300"
    (key,) = response.json()["keys"]
    assert (key["kid"], key["alg"]) == (KID, "Ed25519")
    assert len(_raw(key["publicKey"])) == 32


async def test_a_bought_ticket_verifies_offline_with_the_published_key(
    orders_url: str, catalog: Any, users: Any, helpers: Any
) -> None:
    event = await catalog.general_event(quantity=5)
    await helpers.wait_for_event(orders_url, event.event_id)
    async with users.client(orders_url) as buyer:
        order = (
            await buyer.post(
                "/api/orders",
                json={"eventId": event.event_id, "items": [{"ticketTypeId": "ga", "quantity": 1}]},
            )
        ).json()
        await catalog.publisher.publish(
            PaymentCreated(
                payment_id=str(ObjectId()),
                order_id=order["id"],
                amount=2050,
                currency="usd",
                provider_ref="pi_keys",
            )
        )

        async def completed() -> bool:
            got = (await buyer.get(f"/api/orders/{order['id']}")).json()
            return bool(got["status"] == "complete")

        await helpers.wait_until(completed)
        (ticket,) = (await buyer.get(f"/api/orders/{order['id']}")).json()["tickets"]
        published = (await buyer.get("/api/orders/ticket-keys")).json()["keys"]

    public = {k["kid"]: Ed25519PublicKey.from_public_bytes(_raw(k["publicKey"])) for k in published}
    claims = read_signed_key(ticket["key"], public)
    assert claims is not None
    assert (claims.ticket_id, claims.order_id, claims.event_id) == (
        ticket["id"],
        order["id"],
        event.event_id,
    )
    assert (claims.ticket_type_id, claims.seat_id) == ("ga", None)
    assert claims.ends_at == event.ends_at.replace(microsecond=0)
    assert ticket["key"].startswith(f"{KID}.")
