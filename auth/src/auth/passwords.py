"""Password hashing with argon2id (pwdlib's defaults exceed the OWASP minimums)."""

from __future__ import annotations

import asyncio

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

# time_cost=3, memory_cost=64 MiB, parallelism=4: above OWASP's 19 MiB / t=2 / p=1.
_hasher = PasswordHash((Argon2Hasher(),))
# Verifying against this keeps an unknown email as slow as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


async def hash_password(password: str) -> str:
    # Hashing is deliberately slow CPU work: keep it off the event loop.
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password: str, password_hash: str | None) -> bool:
    return await asyncio.to_thread(_hasher.verify, password, password_hash or _DUMMY_HASH) and (
        password_hash is not None
    )
