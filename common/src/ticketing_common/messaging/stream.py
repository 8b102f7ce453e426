"""Connecting to NATS and declaring the one TICKETING stream."""

from __future__ import annotations

import nats
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, StreamConfig
from nats.js.errors import NotFoundError

from ticketing_common.config import StreamLimits
from ticketing_common.events import STREAM_NAME, STREAM_SUBJECTS


async def connect_nats(url: str, name: str) -> NatsClient:
    """`url` may name several servers of a cluster, comma-separated, to fail over between.

    nats-py reads a string as one address, so the list is split here.
    """
    servers = [server.strip() for server in url.split(",") if server.strip()]
    return await nats.connect(servers, name=name, max_reconnect_attempts=-1, connect_timeout=5)


def stream_config(replicas: int = 1, limits: StreamLimits | None = None) -> StreamConfig:
    """The stream's configuration; `limits` default to the environment's (see StreamLimits).

    Scheduled messages carry expirations; the duplicate window turns a re-sent
    Nats-Msg-Id (outbox retry, redelivered command) into a no-op. At a limit the oldest
    messages go (JetStream refuses "discard new" on a stream with scheduled messages).
    """
    limits = limits or StreamLimits()
    return StreamConfig(
        name=STREAM_NAME,
        subjects=STREAM_SUBJECTS,
        allow_msg_schedules=True,
        duplicate_window=120.0,
        num_replicas=replicas,
        max_age=limits.max_age_seconds,
        max_bytes=limits.max_bytes,
        discard=DiscardPolicy.OLD,
    )


async def ensure_stream(
    js: JetStreamContext, replicas: int = 1, limits: StreamLimits | None = None
) -> None:
    """Create the stream, or bring an existing one up to the expected configuration."""
    config = stream_config(replicas, limits)
    try:
        await js.stream_info(STREAM_NAME)
    except NotFoundError:
        await js.add_stream(config)
    else:
        await js.update_stream(config)
