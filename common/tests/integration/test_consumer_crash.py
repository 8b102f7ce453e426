"""A consumer killed between its database write and its ack applies the event once.

Real processes and a real SIGKILL (armed by the `listener.after_commit` failpoint):
the first consumer commits the effect and dies before acking; the broker redelivers
to the next consumer, which finds the processed-event record and only acks.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from nats.aio.client import Client as NatsClient

from ticketing_common.events import STREAM_NAME, UserCreated
from ticketing_common.mongo import MongoClient
from ticketing_common.testing.endpoints import Endpoints

pytestmark = pytest.mark.asyncio(loop_scope="session")
CONSUMER = Path(__file__).with_name("crashing_consumer.py")
DURABLE = "crashtest-user-created"


def _consumer(endpoints: Endpoints, database: str, failpoints: str) -> subprocess.Popen[str]:
    env = {**os.environ, "TICKETING_FAILPOINTS": failpoints}
    return subprocess.Popen(
        [sys.executable, str(CONSUMER), endpoints.nats_url, endpoints.mongo_uri, database],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


async def _exit_code(process: subprocess.Popen[str], within: float) -> int:
    async with asyncio.timeout(within):
        while process.poll() is None:
            await asyncio.sleep(0.05)
    return process.returncode


async def test_a_crash_between_commit_and_ack_applies_the_event_once(
    clean_stream: NatsClient,
    embedded_servers: Endpoints,
    mongo_client: MongoClient,
    database_name: str,
) -> None:
    event = UserCreated(user_id="u-1", email="crash@example.com")
    ack = await clean_stream.jetstream().publish(
        str(event.subject), event.to_json(), stream=STREAM_NAME
    )

    first = _consumer(embedded_servers, database_name, "listener.after_commit:" + DURABLE)
    assert await _exit_code(first, 20) == -signal.SIGKILL
    seen = mongo_client[database_name]["seen"]
    assert await seen.find_one({"_id": "u-1"}) == {"_id": "u-1", "count": 1}

    second = _consumer(embedded_servers, database_name, "")
    js = clean_stream.jetstream()
    async with asyncio.timeout(20):
        while (info := await js.consumer_info(STREAM_NAME, DURABLE)).num_ack_pending or (
            info.num_pending
        ):
            await asyncio.sleep(0.1)
    second.send_signal(signal.SIGTERM)
    assert await _exit_code(second, 10) == 0
    log = second.stdout.read() if second.stdout else ""

    assert await seen.find_one({"_id": "u-1"}) == {"_id": "u-1", "count": 1}
    # Two deliveries of one stream message: the broker did redeliver the un-acked event.
    assert info.delivered is not None
    assert (info.delivered.stream_seq, info.delivered.consumer_seq) == (ack.seq, 2)
    assert "duplicate event skipped" in log
