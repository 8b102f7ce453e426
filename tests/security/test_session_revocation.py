"""Through the gateway: signing out ends that session on every service within a second,
and signing out everywhere ends every session of the user (issue 11, item 4)."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from security_kit import new_email, session_of

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]
WITHIN_SECONDS = 1.0
# A route of each service that needs a session, and its answer to a signed-in user.
SIGNED_IN_ROUTES = [
    ("tickets", "POST", "/api/tickets", 400),
    ("orders", "GET", "/api/orders", 200),
    ("payments", "GET", "/api/payments?orderId=64a000000000000000000001", 404),
]


async def _answers(gateway: str, token: str) -> dict[str, object]:
    """What each service says to `token` (auth: who the current user is)."""
    async with httpx.AsyncClient(base_url=gateway, timeout=10) as client:
        client.cookies.set("session", token)
        answers: dict[str, object] = {
            service: (await client.request(method, path, json={})).status_code
            for service, method, path, _ in SIGNED_IN_ROUTES
        }
        me = await client.get("/api/users/currentuser")
        answers["auth"] = me.json()["currentUser"] is not None
    return answers


SIGNED_IN = {**{service: status for service, _, _, status in SIGNED_IN_ROUTES}, "auth": True}
SIGNED_OUT = {**{service: 401 for service, *_ in SIGNED_IN_ROUTES}, "auth": False}


async def _refused_everywhere_within(gateway: str, token: str, seconds: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while (answers := await _answers(gateway, token)) != SIGNED_OUT:
        assert loop.time() < deadline, f"still accepted after {seconds} s: {answers}"
        await asyncio.sleep(0.02)


async def test_signing_out_ends_that_session_on_every_service_within_a_second(
    running_stack: str,
) -> None:
    email = new_email("leaver")
    async with (
        session_of(running_stack, email, "signup") as laptop,
        session_of(running_stack, email, "signin") as phone,
    ):
        token = laptop.cookies["session"]
        assert await _answers(running_stack, token) == SIGNED_IN
        assert (await laptop.post("/api/users/signout")).status_code == 200
        await _refused_everywhere_within(running_stack, token, WITHIN_SECONDS)
        # The same user's session on another device goes on.
        assert await _answers(running_stack, phone.cookies["session"]) == SIGNED_IN


async def test_signing_out_everywhere_ends_every_session_of_the_user(running_stack: str) -> None:
    email = new_email("everywhere")
    async with (
        session_of(running_stack, email, "signup") as laptop,
        session_of(running_stack, email, "signin") as phone,
    ):
        tokens = [laptop.cookies["session"], phone.cookies["session"]]
        assert (await laptop.post("/api/users/signout/everywhere")).status_code == 200
        for token in tokens:
            await _refused_everywhere_within(running_stack, token, WITHIN_SECONDS)
    async with session_of(running_stack, email, "signin") as later:
        assert await _answers(running_stack, later.cookies["session"]) == SIGNED_IN
