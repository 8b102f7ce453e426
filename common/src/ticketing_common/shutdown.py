"""Knowing that the server has begun to stop, at the moment it begins.

On SIGTERM or SIGINT uvicorn stops accepting, waits for every running request and
only then runs the lifespan shutdown. A response that never ends by itself (a
server-sent-event stream) would hold the process until it is killed, and the
lifespan shutdown (listeners, outbox relay, NATS drain) would never run. No ASGI
message says "stopping" before the requests are done, so the lifespan chains a
handler in front of the server's own signal handler: it marks the `ShutdownSignal`
and hands the signal on unchanged. Streaming routes end their responses on it
(`on_stop`, or `wait`), so the server's wait for requests ends at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import signal
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Annotated, Any

from fastapi import Depends, Request

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
SignalHandler = Callable[[int, FrameType | None], Any]


class ShutdownSignal:
    """Set once the server begins to stop; lives on `app.state.shutdown`."""

    def __init__(self) -> None:
        self._stopping = asyncio.Event()
        self._callbacks: set[Callable[[], None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._chained: dict[int, SignalHandler] = {}

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    async def wait(self) -> None:
        await self._stopping.wait()

    @contextlib.contextmanager
    def on_stop(self, callback: Callable[[], None]) -> Iterator[None]:
        """Within the block, `callback` runs when the server begins to stop (at once if it has).

        A callback, unlike a task waiting on `wait`, costs nothing per open stream.
        """
        if self.stopping:
            callback()
        self._callbacks.add(callback)
        try:
            yield
        finally:
            self._callbacks.discard(callback)

    def stop(self) -> None:
        """Mark the server as stopping and run the callbacks; idempotent, on the loop only."""
        if self.stopping:
            return
        self._stopping.set()
        for callback in list(self._callbacks):
            try:
                callback()
            except Exception:  # one broken stream must not keep the others open
                log.exception("shutdown callback failed")

    def install(self) -> None:
        """Chain `stop` in front of the Python-level SIGINT and SIGTERM handlers.

        Only a Python callable (the server's handler) is chained: where the signal has
        its default action or is ignored, that is left as it is. Off the main thread
        signals cannot be handled, so nothing is installed and only `stop` marks it.
        """
        self._loop = asyncio.get_running_loop()
        for signum in STOP_SIGNALS:
            previous = signal.getsignal(signum)
            if not callable(previous):
                continue
            try:
                signal.signal(signum, self._on_signal)
            except ValueError:  # not the main thread
                return
            self._chained[signum] = previous

    def uninstall(self) -> None:
        """Put the chained handlers back, unless another has been installed since."""
        for signum, previous in self._chained.items():
            if signal.getsignal(signum) == self._on_signal:
                signal.signal(signum, previous)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        # A signal handler runs between two bytecodes of the main thread, possibly in
        # the middle of the loop's own code: the loop is asked to run `stop` instead.
        # An empty context: not the context of whatever request was running.
        if self._loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop has closed
                self._loop.call_soon_threadsafe(self._begin, signum, context=contextvars.Context())
        # Kept after `uninstall`: a handler restored out of order still forwards.
        self._chained[signum](signum, frame)

    def _begin(self, signum: int) -> None:
        if not self.stopping:
            name = signal.Signals(signum).name
            log.info("shutdown started", extra={"signal": name, "streams": len(self._callbacks)})
        self.stop()


async def shutdown_signal(request: Request) -> ShutdownSignal:
    shutdown: ShutdownSignal = request.app.state.shutdown
    return shutdown


ShutdownDep = Annotated[ShutdownSignal, Depends(shutdown_signal)]
