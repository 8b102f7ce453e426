"""Fixtures of the security tests (helpers in `security_kit`)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest_asyncio
from security_kit import Owned, own_things, sign_up


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def owned(running_stack: str) -> AsyncIterator[Owned]:
    async with sign_up(running_stack, "owner") as owner:
        yield await own_things(owner)


@pytest_asyncio.fixture(loop_scope="session")
async def intruder(running_stack: str) -> AsyncIterator[httpx.AsyncClient]:
    async with sign_up(running_stack, "intruder") as client:
        yield client
