"""The sender task: sends the recorded mails that are due and marks each one sent.

Woken after a listener's batch commits, and otherwise every `poll_seconds`. A crash
between sending and marking sends the mail again after its claim runs out, with the
same Message-ID (`mime.to_message`), so the mail system can recognise the repeat. A
failed send is tried again with back-off, `max_attempts` times in all.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from notifications.mime import to_message
from notifications.ports import MailTransport
from notifications.store.mails import MailRecords, StoredMail
from ticketing_common.events import utc_now
from ticketing_common.tasks import stop_task

log = logging.getLogger(__name__)
MAX_BACKOFF_SECONDS = 600.0


def retry_delay(attempts: int) -> timedelta:
    """After the n-th failed attempt: 5 s, 10 s, 20 s ... at most 10 minutes."""
    return timedelta(seconds=min(MAX_BACKOFF_SECONDS, 5.0 * 2 ** max(0, attempts - 1)))


@dataclass
class MailSender:
    records: MailRecords
    transport: MailTransport
    sender_address: str
    poll_seconds: float = 2.0
    claim: timedelta = timedelta(seconds=120)
    max_attempts: int = 10
    clock: Callable[[], datetime] = utc_now
    _wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    _task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        self._wakeup.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="mail-sender")

    async def stop(self) -> None:
        await stop_task(self._task)

    async def _run(self) -> None:
        while True:
            try:
                await self.send_due()
            except Exception:
                log.exception("mail sender pass failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), self.poll_seconds)
            self._wakeup.clear()

    async def send_due(self) -> int:
        """Send every mail that is due now; returns how many were sent."""
        sent = 0
        while (stored := await self.records.claim_due(self.clock(), self.claim)) is not None:
            sent += await self._send(stored)
        return sent

    async def _send(self, stored: StoredMail) -> int:
        extra = {"mail": stored.record_id, "attempt": stored.attempts}
        try:
            await self.transport.send(to_message(stored, self.sender_address))
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
            if stored.attempts >= self.max_attempts:
                await self.records.mark_failed(stored.record_id, error)
                log.error("mail not sent, giving up", extra={**extra, "error": error})
            else:
                due = self.clock() + retry_delay(stored.attempts)
                await self.records.retry_at(stored.record_id, due, error)
                log.warning("mail not sent, will retry", extra={**extra, "error": error})
            return 0
        await self.records.mark_sent(stored.record_id, self.clock())
        log.info("mail sent", extra=extra)
        return 1
