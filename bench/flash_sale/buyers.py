"""The buyers: the organizer signs up through the gateway; the 2,000 buyers are made as
auth makes them, outside any timed window, and carried to every later stack.

Sign-up hashes a password with argon2id (~0.2 s of CPU each: 2,000 took 8.5 minutes on
this machine), which is not what a sale measures. So each buyer is a user document
shaped as the organizer's (its real password hash, shared) written straight into the
auth database, with a session cookie signed by the JWT key every stack shares
(stack.py): byte for byte what auth issues at sign-in, and what every service checks.
"""

from __future__ import annotations

import secrets

import httpx
from bson import ObjectId

from bench.flash_sale.plan import PASSWORD, Buyer
from bench.flash_sale.stack import Stack
from bench.support import JWT_KEY
from ticketing_common.auth import SessionUser, issue_token
from ticketing_common.config import BaseServiceSettings
from ticketing_common.events import utc_now
from ticketing_common.mongo import Document

SIGNED_WITH = BaseServiceSettings(jwt_key=JWT_KEY)


async def sign_up(client: httpx.AsyncClient, email: str) -> Buyer:
    response = await client.post("/api/users/signup", json={"email": email, "password": PASSWORD})
    response.raise_for_status()
    return Buyer(response.json()["id"], email, response.cookies["session"])


async def sign_up_organizer(stack: Stack) -> tuple[Buyer, Document]:
    """The event's organizer, and the user document auth wrote for them."""
    async with httpx.AsyncClient(base_url=stack.gateway, timeout=120) as client:
        organizer = await sign_up(client, f"organizer-{secrets.token_hex(3)}@example.com")
    return organizer, (await user_documents(stack, [organizer]))[0]


def mint_buyers(count: int, model: Document) -> tuple[list[Buyer], list[Document]]:
    """`count` buyers with their user documents (shaped as `model`) and session cookies."""
    batch, now = secrets.token_hex(3), utc_now()
    users = [
        {
            **model,
            "_id": str(ObjectId()),
            "email": f"buyer-{n:04d}-{batch}@example.com",
            "createdAt": now,
        }
        for n in range(count)
    ]
    return [_signed_in(user) for user in users], users


def _signed_in(user: Document) -> Buyer:
    session = SessionUser(id=user["_id"], email=user["email"])
    return Buyer(user["_id"], user["email"], issue_token(session, SIGNED_WITH))


async def user_documents(stack: Stack, buyers: list[Buyer]) -> list[Document]:
    """The buyers' user documents as auth stored them."""
    query = {"_id": {"$in": [b.user_id for b in buyers]}}
    return await stack.db("auth")["users"].find(query).to_list()


async def add_users(stack: Stack, users: list[Document]) -> None:
    await stack.db("auth")["users"].insert_many(users, ordered=False)
