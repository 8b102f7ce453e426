"""The auth service over HTTP against the real embedded Mongo and NATS."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from nats.aio.client import Client as NatsClient
from nats.js.api import ConsumerConfig, DeliverPolicy

from auth.config import AuthSettings
from auth.main import create_app
from ticketing_common.events import STREAM_NAME
from ticketing_common.testing.http import serve

pytestmark = pytest.mark.asyncio(loop_scope="session")
PASSWORD = "correct horse"


@pytest_asyncio.fixture(loop_scope="session")
async def client(
    service_settings: dict[str, Any], clean_stream: NatsClient
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(AuthSettings(**service_settings))
    async with serve(app) as url, httpx.AsyncClient(base_url=url) as http:
        yield http


async def _signup(client: httpx.AsyncClient, email: str = "ada@example.com") -> httpx.Response:
    return await client.post("/api/users/signup", json={"email": email, "password": PASSWORD})


async def _user_created_events(nc: NatsClient) -> list[dict[str, Any]]:
    sub = await nc.jetstream().pull_subscribe(
        "user.created", stream=STREAM_NAME, config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL)
    )
    try:
        return [json.loads(m.data) for m in await sub.fetch(10, timeout=5)]
    finally:
        await sub.unsubscribe()


async def test_signup_sets_an_httponly_session_and_publishes_user_created(
    client: httpx.AsyncClient, clean_stream: NatsClient
) -> None:
    response = await _signup(client, "  Ada@Example.com ")
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "ada@example.com"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" not in cookie

    await asyncio.sleep(0)  # the relay is woken right after the commit
    events = await _user_created_events(clean_stream)
    assert [(e["userId"], e["email"]) for e in events] == [(body["id"], "ada@example.com")]


async def test_ready_once_mongo_and_nats_answer(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"ready": True, "nats": True, "mongo": True}


async def test_current_user_follows_the_cookie(client: httpx.AsyncClient) -> None:
    signed_up = (await _signup(client)).json()
    me = await client.get("/api/users/currentuser")
    assert me.json() == {"currentUser": signed_up}
    await client.post("/api/users/signout")
    assert (await client.get("/api/users/currentuser")).json() == {"currentUser": None}


async def test_tampered_cookie_counts_as_signed_out(client: httpx.AsyncClient) -> None:
    await _signup(client)
    token = client.cookies["session"]
    client.cookies.set("session", token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    assert (await client.get("/api/users/currentuser")).json() == {"currentUser": None}


async def test_duplicate_email_is_refused_whatever_its_case(client: httpx.AsyncClient) -> None:
    assert (await _signup(client, "grace@example.com")).status_code == 201
    response = await _signup(client, "GRACE@example.com")
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "Email in use"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-email", "password": PASSWORD}, "email"),
        ({"email": "a@example.com", "password": "short"}, "password"),
        ({"email": "a@example.com", "password": "x" * 129}, "password"),
        ({"password": PASSWORD}, "email"),
    ],
)
async def test_bad_signup_input_names_the_field(
    client: httpx.AsyncClient, body: dict[str, str], field: str
) -> None:
    response = await client.post("/api/users/signup", json=body)
    assert response.status_code == 400
    assert field in [e.get("field") for e in response.json()["errors"]]


async def test_signin_with_wrong_password_or_unknown_email_says_the_same(
    client: httpx.AsyncClient,
) -> None:
    await _signup(client, "linus@example.com")
    client.cookies.clear()
    wrong = await client.post(
        "/api/users/signin", json={"email": "linus@example.com", "password": "wrong password"}
    )
    unknown = await client.post(
        "/api/users/signin", json={"email": "nobody@example.com", "password": PASSWORD}
    )
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json() == {"errors": [{"message": "Invalid credentials"}]}
    ok = await client.post(
        "/api/users/signin", json={"email": " LINUS@example.com", "password": PASSWORD}
    )
    assert ok.status_code == 200
    assert "session=" in ok.headers["set-cookie"]


async def test_sixth_failure_in_a_minute_is_throttled(client: httpx.AsyncClient) -> None:
    await _signup(client, "mallory@example.com")
    attempt = {"email": "mallory@example.com", "password": "guess guess"}
    statuses = [
        (await client.post("/api/users/signin", json=attempt)).status_code for _ in range(5)
    ]
    assert statuses == [400] * 5
    blocked = await client.post("/api/users/signin", json=attempt)
    assert blocked.status_code == 429
    assert 1 <= int(blocked.headers["retry-after"]) <= 60
    # Even the right password waits: the throttle is checked first.
    right = {"email": "mallory@example.com", "password": PASSWORD}
    assert (await client.post("/api/users/signin", json=right)).status_code == 429
