"""Development secrets of the embedded stack, made once under the data directory so a
restart keeps sessions and issued tickets valid; fresh ones for an in-memory stack."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable

from ticketing_common.devstack.settings import StackSettings


def random_text() -> str:
    return secrets.token_urlsafe(48)


def random_seed() -> str:
    """An Ed25519 signing key: the base64 of 32 random bytes (TICKET_SIGNING_KEY)."""
    return base64.b64encode(secrets.token_bytes(32)).decode()


def dev_secret(settings: StackSettings, name: str, make: Callable[[], str] = random_text) -> str:
    """A development secret, kept under the data directory so it survives restarts."""
    if settings.in_memory:
        return make()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    key_file = settings.data_dir / f"dev-{name}"
    if not key_file.exists():
        key_file.write_text(make())
        key_file.chmod(0o600)
    return key_file.read_text().strip()
