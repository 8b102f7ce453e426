"""The ticket-key ring: the active Ed25519 signing key with its id, the retired public
keys that still verify, and the secret of the HMAC keys issued before (verify only).

Built from the settings (`OrdersSettings.key_ring`); the format of a key is described
in `orders.domain.signed_keys`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from orders.domain.keys import TicketKey, read_ticket_key
from orders.domain.signed_keys import (
    KID_PATTERN,
    TicketClaims,
    b64decode,
    b64url,
    read_signed_key,
    sign_key,
)

# Domain separation of the signing seed derived from TICKET_KEY_SECRET (no key given).
_DERIVATION_INFO = b"ticketing orders ticket-signing-key v1"


@dataclass(frozen=True)
class KeyRing:
    kid: str
    signing_key: Ed25519PrivateKey
    retired: Mapping[str, Ed25519PublicKey]
    legacy_secret: bytes

    @property
    def public_keys(self) -> dict[str, Ed25519PublicKey]:
        """Every key that verifies, by id: the active one first."""
        return {self.kid: self.signing_key.public_key(), **self.retired}

    def published(self) -> list[tuple[str, str]]:
        """(kid, base64url of the raw public key) of every key that verifies."""
        return [(kid, b64url(key.public_bytes_raw())) for kid, key in self.public_keys.items()]

    def sign(self, claims: TicketClaims) -> str:
        return sign_key(self.signing_key, self.kid, claims)

    def read(self, key: str) -> TicketClaims | TicketKey | None:
        """A signed key's claims, a genuine legacy (HMAC) key, or None."""
        if key.count(".") == 2:
            return read_signed_key(key, self.public_keys)
        return read_ticket_key(self.legacy_secret, key)


def _private_key(seed: bytes) -> Ed25519PrivateKey:
    if len(seed) != 32:
        raise ValueError("a signing key is the base64 of a 32-byte Ed25519 seed")
    return Ed25519PrivateKey.from_private_bytes(seed)


def _public_key(kid: str, encoded: str) -> Ed25519PublicKey:
    raw = b64decode(encoded)
    if len(raw) != 32:
        raise ValueError(f"retired key {kid}: the base64 of a raw 32-byte Ed25519 public key")
    return Ed25519PublicKey.from_public_bytes(raw)


def key_ring(
    signing_key: str | None, kid: str, retired: Mapping[str, str], legacy_secret: bytes
) -> KeyRing:
    """The ring from settings; without a signing key, one derived from the legacy
    secret (HKDF-SHA256), so every replica and restart signs with the same key."""
    if signing_key:
        private_key = _private_key(b64decode(signing_key))
    else:
        hkdf = HKDF(algorithm=SHA256(), length=32, salt=None, info=_DERIVATION_INFO)
        private_key = _private_key(hkdf.derive(legacy_secret))
    if kid in retired:
        raise ValueError(f"key id {kid} is both active and retired")
    if bad := [name for name in retired if not re.match(KID_PATTERN, name)]:
        raise ValueError(f"retired key ids must match {KID_PATTERN}: {bad}")
    old = {name: _public_key(name, encoded) for name, encoded in retired.items()}
    return KeyRing(kid, private_key, old, legacy_secret)
