"""Legacy ticket keys: a random part plus an HMAC over ticket id and event id.

`<ticketId>.<eventId>.<nonce>.<signature>` — a forged or altered key fails the
signature check without a database lookup; the nonce makes keys unguessable even
for someone who knows the ids. Tickets are now issued with Ed25519 keys
(`orders.domain.signed_keys`); keys of this form still verify online, with the
secret, until their event ends.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TicketKey:
    ticket_id: str
    event_id: str
    nonce: str

    def expired(self, event_ends_at: datetime | None, now: datetime) -> bool:
        """Refused once its event has ended (a resale listing has no end)."""
        return event_ends_at is not None and event_ends_at <= now


def _signature(secret: bytes, ticket_id: str, event_id: str, nonce: str) -> str:
    message = f"{ticket_id}.{event_id}.{nonce}".encode()
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def sign_ticket_key(secret: bytes, ticket_id: str, event_id: str, nonce: str | None = None) -> str:
    nonce = nonce or secrets.token_hex(8)
    return f"{ticket_id}.{event_id}.{nonce}.{_signature(secret, ticket_id, event_id, nonce)}"


def read_ticket_key(secret: bytes, key: str) -> TicketKey | None:
    """The key's parts when its signature is genuine, else None."""
    parts = key.strip().split(".")
    if len(parts) != 4 or not all(parts):
        return None
    ticket_id, event_id, nonce, signature = parts
    expected = _signature(secret, ticket_id, event_id, nonce)
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        return None
    return TicketKey(ticket_id, event_id, nonce)
