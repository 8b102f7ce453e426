"""Ed25519 ticket keys: made and checked with keys made here, public keys only to verify;
and the legacy HMAC keys, refused once their event has ended."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from orders.domain.keys import read_ticket_key, sign_ticket_key
from orders.domain.signed_keys import TicketClaims, b64url, read_signed_key, sign_key

NOW = datetime(2030, 6, 1, 18, 0, tzinfo=UTC)
ENDS = datetime(2030, 6, 1, 22, 0, tzinfo=UTC)
CLAIMS = TicketClaims("t1", "o1", "e1", None, "ga", "A-1-2", ENDS)
ACTIVE, OTHER = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
PUBLIC = {"k2": ACTIVE.public_key()}


def _parts(key: str) -> list[str]:
    return key.split(".")


def _decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def test_a_signed_key_verifies_with_the_public_key_alone() -> None:
    key = sign_key(ACTIVE, "k2", CLAIMS)

    kid, _, signature = _parts(key)
    assert kid == "k2"
    assert "=" not in key
    assert len(_decode(signature)) == 64
    assert read_signed_key(key, PUBLIC) == CLAIMS
    assert CLAIMS.signing_event_id == "e1"


def test_the_payload_is_compact_json_with_the_documented_fields() -> None:
    payload = _decode(_parts(sign_key(ACTIVE, "k2", CLAIMS))[1])

    assert payload == (
        b'{"v":1,"ticketId":"t1","orderId":"o1","eventId":"e1","listingId":null,'
        b'"ticketTypeId":"ga","seatId":"A-1-2","endsAt":"2030-06-01T22:00:00Z"}'
    )
    # The signature covers exactly these bytes.
    ACTIVE.public_key().verify(_decode(_parts(sign_key(ACTIVE, "k2", CLAIMS))[2]), payload)


def test_a_tampered_payload_is_refused() -> None:
    kid, payload, signature = _parts(sign_key(ACTIVE, "k2", CLAIMS))
    body = json.loads(_decode(payload))
    body["seatId"] = "A-1-1"
    forged = b64url(json.dumps(body, separators=(",", ":")).encode())

    assert read_signed_key(f"{kid}.{forged}.{signature}", PUBLIC) is None
    assert read_signed_key(f"{kid}.{payload}.{signature[:-4]}AAAA", PUBLIC) is None
    assert read_signed_key(f"{kid}.{payload}", PUBLIC) is None
    assert read_signed_key(f"{kid}.{payload}=.{signature}", PUBLIC) is None
    assert read_signed_key("garbage", PUBLIC) is None


def test_a_key_of_an_unknown_kid_or_signed_by_another_key_is_refused() -> None:
    assert read_signed_key(sign_key(ACTIVE, "k9", CLAIMS), PUBLIC) is None
    # The right kid, the wrong private key.
    assert read_signed_key(sign_key(OTHER, "k2", CLAIMS), PUBLIC) is None
    assert read_signed_key(sign_key(ACTIVE, "bad kid", CLAIMS), PUBLIC) is None


def test_a_retired_key_still_verifies_while_it_is_published() -> None:
    old_key = sign_key(OTHER, "k1", CLAIMS)
    ring = {"k2": ACTIVE.public_key(), "k1": OTHER.public_key()}

    assert read_signed_key(old_key, ring) == CLAIMS
    assert read_signed_key(old_key, PUBLIC) is None  # dropped from the ring: refused


def test_a_signed_payload_not_of_this_format_is_refused() -> None:
    def signed(body: object) -> str:
        payload = json.dumps(body).encode()
        return f"k2.{b64url(payload)}.{b64url(ACTIVE.sign(payload))}"

    assert read_signed_key(signed({"v": 2, "ticketId": "t1", "orderId": "o1"}), PUBLIC) is None
    assert read_signed_key(signed({"v": 1, "ticketId": "t1"}), PUBLIC) is None
    assert read_signed_key(signed({"v": 1, "ticketId": 7, "orderId": "o1"}), PUBLIC) is None
    naive = {"v": 1, "ticketId": "t1", "orderId": "o1", "endsAt": "2030-06-01T22:00:00"}
    assert read_signed_key(signed(naive), PUBLIC) is None
    assert read_signed_key(signed([1]), PUBLIC) is None
    minimal = read_signed_key(signed({"v": 1, "ticketId": "t1", "orderId": "o1"}), PUBLIC)
    assert minimal == TicketClaims("t1", "o1", None)


def test_a_signed_key_expires_with_its_event() -> None:
    assert not CLAIMS.expired(NOW)
    assert CLAIMS.expired(ENDS)
    resale = TicketClaims("t1", "o1", None, "l1")
    assert resale.signing_event_id == "listing-l1"
    assert not resale.expired(NOW + timedelta(days=3650))


def test_a_legacy_key_verifies_until_its_event_ends() -> None:
    secret = b"s" * 32
    legacy = read_ticket_key(secret, sign_ticket_key(secret, "t1", "e1"))

    assert legacy is not None
    assert not legacy.expired(ENDS, NOW)
    assert legacy.expired(ENDS, ENDS)
    assert legacy.expired(ENDS, ENDS + timedelta(seconds=1))
    assert not legacy.expired(None, NOW)  # a resale listing has no end
