"""Group commit: concurrent calls that can share one database round trip do.

A `Coalescer` gathers the items submitted while its previous batch is in flight and
hands them to its `flush` together; each caller gets back its own item's result or
error. Nothing waits on a timer: a lone call goes out at once, and under load a batch
grows by itself to the calls that arrive during one round trip — the write that would
have been one per request becomes one per round trip.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")
# A flush returns, for each item in order, its result or the exception its caller gets.
Flush = Callable[[list[T]], Awaitable[Sequence[R | BaseException]]]


class Coalescer(Generic[T, R]):
    def __init__(self, flush: Flush[T, R], max_batch: int = 64) -> None:
        self._flush = flush
        self._max_batch = max_batch
        self._pending: list[tuple[T, asyncio.Future[R]]] = []
        self._runner: asyncio.Task[None] | None = None

    async def submit(self, item: T) -> R:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._pending.append((item, future))
        if self._runner is None or self._runner.done():
            self._runner = asyncio.create_task(self._drain())
        # Shielded: a caller that gives up does not cancel the batch the others wait on.
        return await asyncio.shield(future)

    async def _drain(self) -> None:
        while self._pending:
            batch = self._pending[: self._max_batch]
            del self._pending[: self._max_batch]
            try:
                results = await self._flush([item for item, _ in batch])
            except BaseException as error:
                _settle_all(batch, error)
                if isinstance(error, asyncio.CancelledError):
                    _settle_all(self._pending, error)
                    self._pending.clear()
                    raise
                continue
            for (_, future), result in zip(batch, results, strict=True):
                if future.done():
                    continue
                if isinstance(result, BaseException):
                    future.set_exception(result)
                else:
                    future.set_result(result)


def _settle_all(batch: Sequence[tuple[object, asyncio.Future[R]]], error: BaseException) -> None:
    for _, future in batch:
        if not future.done():
            future.set_exception(error)
