"""Every process follows `user.signed-out` from the stream into its `Revocations`.

Each process needs every sign-out (not a share of them, as a durable consumer's members
get), so each reads through an ordered consumer of its own: an ephemeral consumer the
client re-creates from the last sequence it saw when it misses messages or heartbeats
(a restarted or failed-over broker). It starts one token lifetime back, so a process
that starts later still refuses the tokens revoked before, and it waits (boundedly) to
have read up to the newest sign-out before the service takes requests.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError
from pydantic import ValidationError

from ticketing_common.events import STREAM_NAME, Subject, UserSignedOut, utc_now
from ticketing_common.revocation import Revocations

log = logging.getLogger(__name__)
SUBJECT = str(Subject.USER_SIGNED_OUT)
# Missed heartbeats make the client re-create the consumer: a failover costs seconds.
HEARTBEAT_SECONDS = 2.0


class RevocationFeed:
    def __init__(
        self,
        js: JetStreamContext,
        revocations: Revocations,
        lookback: timedelta,
        catch_up_seconds: float = 10.0,
    ) -> None:
        self._js = js
        self._revocations = revocations
        self._lookback = lookback
        self._catch_up_seconds = catch_up_seconds
        self._subscription: JetStreamContext.PushSubscription | None = None
        self._target = 0
        self._caught_up = asyncio.Event()

    async def start(self) -> None:
        since = utc_now() - self._lookback
        self._target = await self._newest_sequence(since)
        if self._target == 0:
            self._caught_up.set()
        config = ConsumerConfig(deliver_policy=DeliverPolicy.BY_START_TIME, opt_start_time=since)
        self._subscription = await self._js.subscribe(
            SUBJECT,
            stream=STREAM_NAME,
            cb=self._on_message,
            ordered_consumer=True,
            idle_heartbeat=HEARTBEAT_SECONDS,
            config=config,
        )
        try:
            await asyncio.wait_for(self._caught_up.wait(), self._catch_up_seconds)
        except TimeoutError:
            log.warning("revocations not caught up; serving anyway", extra={"target": self._target})

    async def stop(self) -> None:
        if self._subscription is not None:
            with contextlib.suppress(Exception):
                await self._subscription.unsubscribe()

    async def _newest_sequence(self, since: datetime) -> int:
        """The sequence of the newest sign-out inside the window, or 0 when there is none."""
        try:
            newest = await self._js.get_last_msg(STREAM_NAME, SUBJECT)
        except NotFoundError:
            return 0
        if newest.time is not None and newest.time < since:
            return 0
        return newest.seq or 0

    async def _on_message(self, msg: Msg) -> None:
        try:
            event = UserSignedOut.model_validate_json(msg.data)
        except ValidationError as exc:
            log.error("malformed sign-out skipped", extra={"error": str(exc)[:500]})
        else:
            self._revocations.apply(event)
        if msg.metadata.sequence.stream >= self._target:
            self._caught_up.set()
