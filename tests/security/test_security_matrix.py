"""Access control through the gateway, kept in `make test`.

The cross-user matrix: every route that names an object, called by another signed-in
user on the owner's object, is refused (403 or 404, in the error shape) and changes
nothing. The tampering set: a session token that is unsigned (alg none), signed with
another key, expired, for another audience, or altered is "not signed in" (401).
"""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from typing import Any

import httpx
import jwt
import pytest
from security_kit import Owned

from ticketing_common.events import utc_now
from ticketing_common.testing.plugin import TEST_JWT_KEY

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

# (method, path template, JSON body, status): {listing}, {event}, {order} are the owner's.
# The catalog is public, so editing it is forbidden (403); an order is private, so someone
# else's is not found at all (404).
CROSS_USER: list[tuple[str, str, dict[str, Any] | None, int]] = [
    ("PUT", "/api/tickets/{listing}", {"title": "Mine now", "price": 1}, 403),
    ("PATCH", "/api/events/{event}", {"name": "Taken over"}, 403),
    ("POST", "/api/events/{event}/cancel", None, 403),
    ("GET", "/api/events/{event}/stats", None, 403),
    ("GET", "/api/orders/{order}", None, 404),
    ("DELETE", "/api/orders/{order}", None, 404),
    ("POST", "/api/payments", {"orderId": "{order}", "token": "tok_visa"}, 404),
    ("GET", "/api/payments?orderId={order}", None, 404),
]


def _fill(template: str, owned: Owned) -> str:
    ids = {"listing": owned.listing["id"], "event": owned.event["id"], "order": owned.order["id"]}
    for name, value in ids.items():
        template = template.replace(f"{{{name}}}", value)
    return template


@pytest.mark.parametrize(
    ("method", "path", "body", "status"), CROSS_USER, ids=[f"{m} {p}" for m, p, *_ in CROSS_USER]
)
async def test_another_users_object_is_refused(
    owned: Owned,
    intruder: httpx.AsyncClient,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    status: int,
) -> None:
    payload = json.loads(_fill(json.dumps(body), owned)) if body else None
    response = await intruder.request(method, _fill(path, owned), json=payload)
    assert response.status_code == status, response.text
    assert response.json()["errors"][0]["message"]


async def test_the_owners_objects_are_unchanged_and_unlisted_for_others(
    owned: Owned, intruder: httpx.AsyncClient
) -> None:
    listing = (await owned.owner.get(f"/api/tickets/{owned.listing['id']}")).json()
    assert (listing["title"], listing["price"]) == ("Front row", 30)
    event = (await owned.owner.get(f"/api/events/{owned.event['id']}")).json()
    assert (event["name"], event["status"]) == ("Security night", "active")
    order = await owned.owner.get(f"/api/orders/{owned.order['id']}")
    assert order.json()["status"] == "created"
    assert (await intruder.get("/api/orders")).json() == []


async def test_signing_out_everywhere_ends_only_ones_own_sessions(
    owned: Owned, intruder: httpx.AsyncClient
) -> None:
    assert (await intruder.post("/api/users/signout/everywhere")).status_code == 200
    assert (await owned.owner.get("/api/orders")).status_code == 200


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _tampered(token: str, how: str) -> str:
    claims = jwt.decode(token, options={"verify_signature": False})
    if how == "alg none":
        return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
    if how == "modified payload":
        header, _, signature = token.split(".")
        return f"{header}.{_b64({**claims, 'sub': 'someone-else'})}.{signature}"
    key = TEST_JWT_KEY
    if how == "wrong key":
        key = "another-signing-key-that-is-long-enough-0123456789"
    elif how == "expired":
        claims["exp"] = int((utc_now() - timedelta(seconds=1)).timestamp())
    elif how == "wrong audience":
        claims["aud"] = "another-system"
    elif how == "no session id":
        del claims["sid"]
    return jwt.encode(claims, key, algorithm="HS256")


# Protected routes of every service that reads the session.
PROTECTED = [
    ("GET", "/api/orders"),
    ("POST", "/api/tickets"),
    ("POST", "/api/events"),
    ("GET", "/api/payments?orderId=64a000000000000000000001"),
    ("POST", "/api/users/signout/everywhere"),
]
TAMPERING = ["alg none", "wrong key", "expired", "wrong audience", "modified payload"]


@pytest.mark.parametrize("how", [*TAMPERING, "no session id"])
async def test_a_tampered_token_is_not_signed_in_anywhere(
    running_stack: str, owned: Owned, how: str
) -> None:
    token = _tampered(owned.owner.cookies["session"], how)
    async with httpx.AsyncClient(base_url=running_stack, timeout=30) as forger:
        forger.cookies.set("session", token)
        for method, path in PROTECTED:
            response = await forger.request(method, path, json={})
            assert response.status_code == 401, (how, path, response.text)
            assert response.json() == {"errors": [{"message": "Not authorized"}]}
        me = await forger.get("/api/users/currentuser")
        assert me.json() == {"currentUser": None}


async def test_the_untampered_token_is_signed_in(running_stack: str, owned: Owned) -> None:
    async with httpx.AsyncClient(base_url=running_stack, timeout=30) as same:
        same.cookies.set("session", _tampered(owned.owner.cookies["session"], "unchanged"))
        assert (await same.get("/api/orders")).status_code == 200
