"""Offline-verifiable ticket keys: Ed25519 signatures with a key id, so keys rotate.

The format, which a door scanner (or the browser, with WebCrypto) checks holding only
the public keys:

    <kid>.<payload>.<signature>

- `kid`: the signing key's id, 1-32 characters of `A-Z a-z 0-9 _ -` (never a dot).
  `GET /api/orders/ticket-keys` serves every key that still verifies, active and
  retired: `{"keys": [{"kid": "k1", "alg": "Ed25519", "publicKey": "<base64url>"}]}`,
  `publicKey` being the raw 32-byte Ed25519 public key.
- `payload`: base64url without padding of compact UTF-8 JSON (no spaces), in this
  key order: `{"v":1,"ticketId":"…","orderId":"…","eventId":"…","listingId":null,
  "ticketTypeId":"ga","seatId":null,"endsAt":"2030-06-01T22:00:00Z"}`. A resale
  ticket has `eventId` null and `listingId` set; `ticketTypeId`, `seatId` and
  `endsAt` may be null (no type, no seat, no known end). `endsAt` is the event's end,
  UTC, whole seconds, with `Z`.
- `signature`: base64url without padding of the 64-byte Ed25519 signature over the
  payload's bytes: the JSON bytes the payload part decodes to (not its base64 text).

To verify: split on "." into exactly three parts, take the public key of `kid`,
base64url-decode payload and signature, verify (WebCrypto:
`crypto.subtle.verify({name: "Ed25519"}, key, signature, payloadBytes)`), then parse
the JSON; refuse the ticket once `endsAt` has passed. A genuine signature proves the
key was issued; whether it was used or its order cancelled since is known online only
(`POST /api/orders/verify`). Keys issued before (HMAC, four parts, `domain.keys`)
verify online only.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

FORMAT_VERSION = 1
KID_PATTERN = r"^[A-Za-z0-9_-]{1,32}$"
_KID = re.compile(KID_PATTERN)
_IDS = ("ticketId", "orderId", "eventId", "listingId", "ticketTypeId", "seatId")
_B64URL = re.compile(r"^[A-Za-z0-9_-]+$")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64decode(text: str) -> bytes:
    """Standard or URL-safe base64, padded or not; ValueError if it is neither."""
    normal = text.strip().replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(normal + "=" * (-len(normal) % 4), validate=True)
    except binascii.Error as error:
        raise ValueError("not base64") from error


@dataclass(frozen=True)
class TicketClaims:
    """What a signed key says about its ticket."""

    ticket_id: str
    order_id: str
    event_id: str | None
    listing_id: str | None = None
    ticket_type_id: str | None = None
    seat_id: str | None = None
    ends_at: datetime | None = None

    @property
    def signing_event_id(self) -> str:
        """The event, or `listing-<id>` for a resale (as `Order.signing_event_id`)."""
        return self.event_id or f"listing-{self.listing_id}"

    def expired(self, now: datetime) -> bool:
        return self.ends_at is not None and self.ends_at <= now

    def payload(self) -> bytes:
        """The JSON bytes a key signs: compact, in the documented key order."""
        ends = self.ends_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if self.ends_at else None
        body = {
            "v": FORMAT_VERSION,
            "ticketId": self.ticket_id,
            "orderId": self.order_id,
            "eventId": self.event_id,
            "listingId": self.listing_id,
            "ticketTypeId": self.ticket_type_id,
            "seatId": self.seat_id,
            "endsAt": ends,
        }
        return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def _text(body: dict[str, object], name: str) -> str | None:
    value = body.get(name)
    if value is None or isinstance(value, str):
        return value
    raise ValueError(f"{name} is not a string")


def _claims_of(payload: bytes) -> TicketClaims | None:
    """The claims of a signed payload; None if it is not one this format describes."""
    try:
        body = json.loads(payload)
        if not isinstance(body, dict) or body.get("v") != FORMAT_VERSION:
            return None
        ids = [_text(body, name) for name in _IDS]
        ends = _text(body, "endsAt")
        ends_at = datetime.fromisoformat(ends) if ends is not None else None
    except ValueError:  # not JSON, a field of the wrong type, a malformed time
        return None
    ticket_id, order_id, event_id, listing_id, type_id, seat_id = ids
    if not ticket_id or not order_id or (ends_at is not None and ends_at.tzinfo is None):
        return None
    return TicketClaims(ticket_id, order_id, event_id, listing_id, type_id, seat_id, ends_at)


def sign_key(private_key: Ed25519PrivateKey, kid: str, claims: TicketClaims) -> str:
    payload = claims.payload()
    return f"{kid}.{b64url(payload)}.{b64url(private_key.sign(payload))}"


def read_signed_key(key: str, public_keys: Mapping[str, Ed25519PublicKey]) -> TicketClaims | None:
    """The key's claims when it is well formed and signed by the key of its `kid`; None
    for anything else (malformed, unknown kid, altered payload, wrong signature)."""
    parts = key.strip().split(".")
    if len(parts) != 3 or not _KID.match(parts[0]):
        return None
    public_key = public_keys.get(parts[0])
    if public_key is None:
        return None
    if not (_B64URL.match(parts[1]) and _B64URL.match(parts[2])):
        return None
    try:
        payload, signature = b64decode(parts[1]), b64decode(parts[2])
        public_key.verify(signature, payload)
    except (ValueError, InvalidSignature):
        return None
    return _claims_of(payload)
