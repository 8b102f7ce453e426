"""The shutdown signal: callbacks run once when the server begins to stop, and SIGTERM
reaches it through a handler chained in front of the server's own, which still runs."""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Iterator
from types import FrameType

import pytest

from ticketing_common.shutdown import ShutdownSignal


@pytest.fixture
def saved_handlers() -> Iterator[None]:
    saved = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


async def test_open_callbacks_run_once_at_stop_and_a_failing_one_spares_the_rest() -> None:
    shutdown, ran = ShutdownSignal(), []

    def broken() -> None:
        raise RuntimeError("boom")

    with shutdown.on_stop(lambda: ran.append("left")):
        pass
    with shutdown.on_stop(broken), shutdown.on_stop(lambda: ran.append("open")):
        shutdown.stop()
        shutdown.stop()
    assert ran == ["open"]
    assert shutdown.stopping
    await asyncio.wait_for(shutdown.wait(), 1)


async def test_a_callback_registered_after_the_stop_runs_at_once() -> None:
    shutdown, ran = ShutdownSignal(), []
    shutdown.stop()
    with shutdown.on_stop(lambda: ran.append("late")):
        assert ran == ["late"]


@pytest.mark.usefixtures("saved_handlers")
async def test_sigterm_sets_it_and_still_reaches_the_servers_handler() -> None:
    received: list[int] = []

    def server_handler(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    signal.signal(signal.SIGTERM, server_handler)
    shutdown = ShutdownSignal()
    shutdown.install()
    signal.raise_signal(signal.SIGTERM)
    await asyncio.wait_for(shutdown.wait(), 1)
    assert received == [signal.SIGTERM]
    shutdown.uninstall()
    assert signal.getsignal(signal.SIGTERM) == server_handler


@pytest.mark.usefixtures("saved_handlers")
async def test_a_signal_without_a_python_handler_is_left_alone() -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    shutdown = ShutdownSignal()
    shutdown.install()
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    shutdown.uninstall()


@pytest.mark.usefixtures("saved_handlers")
async def test_a_handler_installed_since_is_not_replaced_by_uninstall() -> None:
    signal.signal(signal.SIGTERM, lambda signum, frame: None)
    shutdown = ShutdownSignal()
    shutdown.install()

    def later(signum: int, frame: FrameType | None) -> None:
        pass

    signal.signal(signal.SIGTERM, later)
    shutdown.uninstall()
    assert signal.getsignal(signal.SIGTERM) == later


def test_off_the_main_thread_nothing_is_installed_and_stop_still_works() -> None:
    shutdown = ShutdownSignal()
    before = signal.getsignal(signal.SIGTERM)

    async def install_and_stop() -> None:
        shutdown.install()
        shutdown.stop()

    thread = threading.Thread(target=asyncio.run, args=(install_and_stop(),))
    thread.start()
    thread.join(5)
    assert shutdown.stopping
    assert signal.getsignal(signal.SIGTERM) == before
