"""The load generator's HTTP client: aiohttp behind the few calls the benchmark makes.

The load generator shares the machine's two cores with the system it measures, so its
own CPU is taken from the servers. httpx, which it used before, spent about 7 ms of CPU
per request at 50 connections (bench/RESULTS.md at c524d4c, `load generator_ms_per_
request`) — close to what the whole server spends; aiohttp spends a fraction of that.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import aiohttp


@dataclass(frozen=True)
class Answer:
    status_code: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise RuntimeError(f"{self.status_code}: {self.body[:200]!r}")


class GatewayClient:
    """Keep-alive connections to the gateway, at most `connections` at a time."""

    def __init__(self, gateway: str, connections: int, timeout: float = 120) -> None:
        self._session = aiohttp.ClientSession(
            base_url=gateway,
            connector=aiohttp.TCPConnector(limit=connections),
            timeout=aiohttp.ClientTimeout(total=timeout),
            # Each request names its buyer's cookie; one buyer's must never reach another's.
            cookie_jar=aiohttp.DummyCookieJar(),
        )

    async def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        async with self._session.get(path, headers=headers) as response:
            return Answer(response.status, await response.read())

    async def post(self, path: str, json: Any, headers: dict[str, str] | None = None) -> Answer:
        async with self._session.post(path, json=json, headers=headers) as response:
            return Answer(response.status, await response.read())

    async def __aenter__(self) -> GatewayClient:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        await self._session.close()
