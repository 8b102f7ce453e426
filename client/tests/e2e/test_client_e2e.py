"""Through the real gateway: sign up with the client's form, see the header, sign out."""

from __future__ import annotations

import uuid

import httpx
import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


async def test_signup_header_signout_through_the_gateway(running_stack: str) -> None:
    email = f"client-{uuid.uuid4().hex[:8]}@example.com"
    async with httpx.AsyncClient(
        base_url=running_stack, headers={"accept": "text/html"}
    ) as browser:
        form = await browser.get("/signup")
        assert form.status_code == 200
        assert 'action="/signup"' in form.text

        signed_up = await browser.post(
            "/signup", data={"email": email, "password": "correct-horse-9", "next": "/"}
        )
        assert signed_up.status_code == 303, signed_up.text
        assert "session=" in signed_up.headers["set-cookie"]

        home = await browser.get("/")
        assert home.status_code == 200
        assert f'data-testid="current-user">{email}<' in home.text
        api_view = await browser.get("/api/users/currentuser")
        assert api_view.json()["currentUser"]["email"] == email

        signed_out = await browser.post("/signout")
        assert signed_out.status_code == 303
        home = await browser.get("/")
        assert email not in home.text
        assert 'href="/signin"' in home.text
        assert (await browser.get("/api/users/currentuser")).json() == {"currentUser": None}

        ready = await browser.get("/readyz")
        assert ready.status_code == 200
