"""The buyers: signed up once through the gateway, then carried to every later stack.

Sign-up hashes a password with argon2id (~0.2 s of CPU each), so the 2,000 buyers are
signed up once, concurrently and outside any timed window. Every stack shares one JWT
key (stack.py), so the cookies auth issued stay valid; a later stack gets the same
user documents (with their real password hashes) written straight into its auth
database, so each buyer exists there too.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from typing import Any

import httpx

from bench.flash_sale.plan import PASSWORD, SIGNUP_CONCURRENCY, Buyer
from bench.flash_sale.stack import Stack
from bench.support import progress
from ticketing_common.mongo import Document


async def sign_up(client: httpx.AsyncClient, email: str) -> Buyer:
    response = await client.post("/api/users/signup", json={"email": email, "password": PASSWORD})
    response.raise_for_status()
    return Buyer(response.json()["id"], email, response.cookies["session"])


async def sign_up_organizer(stack: Stack) -> tuple[Buyer, Document]:
    """The event's organizer, and the user document auth wrote for them."""
    async with httpx.AsyncClient(base_url=stack.gateway, timeout=120) as client:
        organizer = await sign_up(client, f"organizer-{secrets.token_hex(3)}@example.com")
    return organizer, (await user_documents(stack, [organizer]))[0]


async def sign_up_all(stack: Stack, count: int) -> tuple[list[Buyer], dict[str, Any]]:
    """`count` buyers signed up through the gateway, SIGNUP_CONCURRENCY at a time."""
    batch = secrets.token_hex(3)
    emails = [f"buyer-{n:04d}-{batch}@example.com" for n in range(count)]
    buyers: list[Buyer] = []
    started = time.perf_counter()

    async def worker(client: httpx.AsyncClient) -> None:
        while emails:
            buyers.append(await sign_up(client, emails.pop()))
            if len(buyers) % 250 == 0:
                progress(f"signed up {len(buyers)} buyers")

    # The client's cookie jar sends the last sign-up's cookie along: sign-up ignores it.
    async with httpx.AsyncClient(base_url=stack.gateway, timeout=120) as client:
        await asyncio.gather(*(worker(client) for _ in range(SIGNUP_CONCURRENCY)))
    seconds = time.perf_counter() - started
    rate = round(len(buyers) / seconds, 1)
    figures = {"users": len(buyers), "seconds": round(seconds, 1), "per_second": rate}
    return sorted(buyers, key=lambda b: b.email), figures


async def user_documents(stack: Stack, buyers: list[Buyer]) -> list[Document]:
    """The buyers' user documents as auth stored them."""
    query = {"_id": {"$in": [b.user_id for b in buyers]}}
    return await stack.db("auth")["users"].find(query).to_list()


async def add_users(stack: Stack, users: list[Document]) -> None:
    await stack.db("auth")["users"].insert_many(users, ordered=False)
