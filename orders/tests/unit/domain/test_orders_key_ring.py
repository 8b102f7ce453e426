"""The key ring from settings: the active key signs, retired keys verify, legacy keys
are read with the secret; a malformed setting stops the start."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from orders.domain.key_ring import key_ring
from orders.domain.keys import TicketKey, sign_ticket_key
from orders.domain.signed_keys import TicketClaims, b64url, sign_key

SECRET = b"legacy-secret-0123456789abcdef-xyz"
CLAIMS = TicketClaims("t1", "o1", "e1", None, "ga", None, datetime(2030, 1, 1, tzinfo=UTC))


def _seed() -> tuple[str, Ed25519PrivateKey]:
    seed = b"\x07" * 32
    return base64.b64encode(seed).decode(), Ed25519PrivateKey.from_private_bytes(seed)


def test_the_active_key_signs_and_retired_keys_verify() -> None:
    encoded, private = _seed()
    retired = Ed25519PrivateKey.generate()
    raw = retired.public_key().public_bytes_raw()
    ring = key_ring(encoded, "k2", {"k1": base64.b64encode(raw).decode()}, SECRET)

    key = ring.sign(CLAIMS)
    assert key.startswith("k2.")
    assert ring.read(key) == CLAIMS
    assert ring.read(sign_key(retired, "k1", CLAIMS)) == CLAIMS
    assert ring.published() == [
        ("k2", b64url(private.public_key().public_bytes_raw())),
        ("k1", b64url(raw)),
    ]


def test_legacy_keys_are_read_with_the_secret() -> None:
    ring = key_ring(None, "k1", {}, SECRET)
    legacy = sign_ticket_key(SECRET, "t1", "e1", nonce="n1")

    assert ring.read(legacy) == TicketKey("t1", "e1", "n1")
    assert ring.read(sign_ticket_key(b"x" * 32, "t1", "e1")) is None


def test_without_a_signing_key_one_is_derived_from_the_secret_the_same_every_time() -> None:
    first, again = key_ring(None, "k1", {}, SECRET), key_ring(None, "k1", {}, SECRET)

    assert first.published() == again.published()
    assert again.read(first.sign(CLAIMS)) == CLAIMS
    assert key_ring(None, "k1", {}, b"other" * 8).published() != first.published()


def test_url_safe_or_standard_base64_both_load() -> None:
    encoded, _ = _seed()
    url_safe = base64.urlsafe_b64encode(b"\xfb" * 32).decode().rstrip("=")
    assert key_ring(url_safe, "k1", {}, SECRET).published()
    assert key_ring(encoded, "k1", {}, SECRET).published()


@pytest.mark.parametrize(
    ("signing", "retired", "why"),
    [
        (base64.b64encode(b"short").decode(), {}, "32-byte Ed25519 seed"),
        ("not base64 !!", {}, "not base64"),
        (None, {"k0": base64.b64encode(b"x" * 31).decode()}, "retired key k0"),
        (None, {"k1": base64.b64encode(b"x" * 32).decode()}, "both active and retired"),
        (None, {"bad.kid": base64.b64encode(b"x" * 32).decode()}, "retired key ids"),
    ],
)
def test_malformed_settings_are_refused(
    signing: str | None, retired: dict[str, str], why: str
) -> None:
    with pytest.raises(ValueError, match=why):
        key_ring(signing, "k1", retired, SECRET)
