"""Through the running gateway: sign up, who am I, sign out."""

from __future__ import annotations

import httpx
import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


async def test_signup_currentuser_signout_round_trip(running_stack: str) -> None:
    async with httpx.AsyncClient(base_url=running_stack) as client:
        signup = await client.post(
            "/api/users/signup", json={"email": "e2e-auth@example.com", "password": "password123"}
        )
        assert signup.status_code == 201, signup.text
        assert signup.headers.get("via", "").endswith("Caddy")

        me = await client.get("/api/users/currentuser")
        assert me.json()["currentUser"]["email"] == "e2e-auth@example.com"

        assert (await client.post("/api/users/signout")).status_code == 200
        assert (await client.get("/api/users/currentuser")).json() == {"currentUser": None}
