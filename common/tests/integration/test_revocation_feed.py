"""Every process follows sign-outs from the stream: at once while running, and from one
token lifetime back when it starts later."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from nats.aio.client import Client as NatsClient

from ticketing_common.events import STREAM_NAME, UserSignedOut, utc_now
from ticketing_common.messaging import Publisher
from ticketing_common.revocation import Revocations, SessionClaims
from ticketing_common.revocation_feed import RevocationFeed

pytestmark = pytest.mark.asyncio(loop_scope="session")
LOOKBACK = timedelta(hours=8)


def _signed_out(session: str) -> UserSignedOut:
    return UserSignedOut(user_id="u1", session_id=session, expires_at=utc_now() + LOOKBACK)


async def _until_revoked(revocations: Revocations, session: str, within: float) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not revocations.is_revoked(SessionClaims("u1", session, 0)):
        assert asyncio.get_running_loop().time() < deadline, f"{session} not revoked in time"
        await asyncio.sleep(0.01)


async def test_a_sign_out_reaches_a_running_process_within_a_second(
    clean_stream: NatsClient,
) -> None:
    revocations = Revocations()
    feed = RevocationFeed(clean_stream.jetstream(), revocations, LOOKBACK)
    await feed.start()
    try:
        await Publisher(clean_stream.jetstream()).publish(_signed_out("s1"))
        await _until_revoked(revocations, "s1", within=1.0)
    finally:
        await feed.stop()


async def test_a_process_that_starts_later_has_read_earlier_sign_outs_before_it_serves(
    clean_stream: NatsClient,
) -> None:
    publisher = Publisher(clean_stream.jetstream())
    for session in ("s1", "s2", "s3"):
        await publisher.publish(_signed_out(session))
    revocations = Revocations()
    feed = RevocationFeed(clean_stream.jetstream(), revocations, LOOKBACK)
    await feed.start()
    try:
        assert all(revocations.is_revoked(SessionClaims("u1", s, 0)) for s in ("s1", "s2", "s3"))
    finally:
        await feed.stop()


async def test_a_malformed_sign_out_is_skipped_and_the_feed_goes_on(
    clean_stream: NatsClient,
) -> None:
    revocations = Revocations()
    feed = RevocationFeed(clean_stream.jetstream(), revocations, LOOKBACK)
    await feed.start()
    try:
        await clean_stream.jetstream().publish("user.signed-out", b"{not json", stream=STREAM_NAME)
        await Publisher(clean_stream.jetstream()).publish(_signed_out("s4"))
        await _until_revoked(revocations, "s4", within=1.0)
    finally:
        await feed.stop()
