"""Sessions end when their user says so: sign-out and sign-out everywhere are refused at
once by auth and published for every other service; throttling per client address takes
that address from `X-Forwarded-For` only when a trusted proxy sends it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
import pytest_asyncio
from nats.aio.client import Client as NatsClient
from nats.js.errors import NotFoundError

from auth.config import AuthSettings
from auth.main import create_app
from ticketing_common.events import STREAM_NAME
from ticketing_common.testing.http import serve

pytestmark = pytest.mark.asyncio(loop_scope="session")
PASSWORD = "correct horse"
ME = "/api/users/currentuser"


@pytest_asyncio.fixture(loop_scope="session")
async def auth_url(
    service_settings: dict[str, Any], clean_stream: NatsClient
) -> AsyncIterator[str]:
    async with serve(create_app(AuthSettings(**service_settings))) as url:
        yield url


@asynccontextmanager
async def _session(url: str, email: str, how: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client signed up or signed in (`how`) as `email`."""
    async with httpx.AsyncClient(base_url=url) as client:
        response = await client.post(
            f"/api/users/{how}", json={"email": email, "password": PASSWORD}
        )
        assert response.is_success, response.text
        yield client


async def _last_published(nats: NatsClient, subject: str) -> dict[str, Any]:
    """The subject's last event on the stream, once the outbox relay has published it."""
    js = nats.jetstream()
    for _ in range(100):
        try:
            msg = await js.get_last_msg(STREAM_NAME, subject)
        except NotFoundError:
            await asyncio.sleep(0.1)
            continue
        return dict(json.loads(msg.data or b"{}"))
    raise AssertionError(f"nothing published on {subject}")


async def _me(client: httpx.AsyncClient, token: str) -> object:
    response = await client.get(ME, headers={"Cookie": f"session={token}"})
    return response.json()["currentUser"]


async def test_a_signed_out_token_is_refused_although_it_has_not_expired(
    auth_url: str, clean_stream: NatsClient
) -> None:
    async with _session(auth_url, "ada@example.com", "signup") as client:
        token = client.cookies["session"]
        assert (await client.post("/api/users/signout")).status_code == 200
        assert await _me(client, token) is None
    event = await _last_published(clean_stream, "user.signed-out")
    assert event["everywhere"] is False
    assert event["sessionId"]


async def test_signing_out_ends_only_that_session(auth_url: str) -> None:
    async with (
        _session(auth_url, "grace@example.com", "signup") as laptop,
        _session(auth_url, "grace@example.com", "signin") as phone,
    ):
        phone_token = phone.cookies["session"]
        await laptop.post("/api/users/signout")
        assert await _me(phone, phone_token) is not None


async def test_signing_out_everywhere_ends_every_session_but_not_later_ones(auth_url: str) -> None:
    async with (
        _session(auth_url, "linus@example.com", "signup") as laptop,
        _session(auth_url, "linus@example.com", "signin") as phone,
    ):
        laptop_token, phone_token = laptop.cookies["session"], phone.cookies["session"]
        assert (await laptop.post("/api/users/signout/everywhere")).status_code == 200
        assert await _me(laptop, laptop_token) is None
        assert await _me(phone, phone_token) is None
    async with _session(auth_url, "linus@example.com", "signin") as later:
        assert await _me(later, later.cookies["session"]) is not None


async def test_signing_out_everywhere_needs_a_session(auth_url: str) -> None:
    async with httpx.AsyncClient(base_url=auth_url) as client:
        response = await client.post("/api/users/signout/everywhere")
    assert response.status_code == 401
    assert response.json() == {"errors": [{"message": "Not authorized"}]}


async def _failed_signins(url: str, emails: list[str], headers: dict[str, str]) -> list[int]:
    async with httpx.AsyncClient(base_url=url, headers=headers) as client:
        return [
            (
                await client.post("/api/users/signin", json={"email": e, "password": "guess1234"})
            ).status_code
            for e in emails
        ]


async def test_many_accounts_tried_from_one_client_are_throttled(auth_url: str) -> None:
    statuses = await _failed_signins(auth_url, [f"u{n}@example.com" for n in range(10)], {})
    assert statuses == [400] * 5 + [429] * 5


async def test_a_forwarded_address_from_an_untrusted_peer_is_ignored(auth_url: str) -> None:
    # Each request claims another address; the peer is not a trusted proxy: one client.
    emails = [f"v{n}@example.com" for n in range(6)]
    async with httpx.AsyncClient(base_url=auth_url) as client:
        statuses = []
        for n, email in enumerate(emails):
            response = await client.post(
                "/api/users/signin",
                json={"email": email, "password": "guess1234"},
                headers={"X-Forwarded-For": f"203.0.113.{n}"},
            )
            statuses.append(response.status_code)
    assert statuses == [400] * 5 + [429]


async def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_budget(
    service_settings: dict[str, Any], clean_stream: NatsClient
) -> None:
    settings = AuthSettings(**service_settings, trusted_proxies="127.0.0.1")
    async with serve(create_app(settings)) as url:
        first = await _failed_signins(url, [f"w{n}@x.test" for n in range(6)], _xff("203.0.113.1"))
        second = await _failed_signins(url, ["z@x.test"], _xff("203.0.113.2"))
        # A client's own forged entry comes before the gateway's: the gateway's counts.
        forged = await _failed_signins(url, ["y@x.test"], _xff("198.51.100.7, 203.0.113.1"))
    assert first == [400] * 5 + [429]
    assert second == [400]
    assert forged == [429]


def _xff(chain: str) -> dict[str, str]:
    return {"X-Forwarded-For": chain}


@pytest.mark.parametrize(
    ("setting", "headers", "secure"),
    [
        (None, {}, False),
        (None, {"X-Forwarded-Proto": "https"}, True),
        (True, {}, True),
        (False, {"X-Forwarded-Proto": "https"}, False),
    ],
)
async def test_the_session_cookie_is_secure_when_set_so_or_when_tls_was_used(
    service_settings: dict[str, Any],
    clean_stream: NatsClient,
    setting: bool | None,
    headers: dict[str, str],
    secure: bool,
) -> None:
    settings = AuthSettings(**service_settings, trusted_proxies="127.0.0.1", cookie_secure=setting)
    async with serve(create_app(settings)) as url, httpx.AsyncClient(base_url=url) as client:
        response = await client.post(
            "/api/users/signup",
            json={"email": "tls@example.com", "password": PASSWORD},
            headers=headers,
        )
    attributes = [part.strip().lower() for part in response.headers["set-cookie"].split(";")]
    assert ("secure" in attributes) is secure
