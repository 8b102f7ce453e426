"""A consumer run as its own process by the crash tests: counts users into Mongo.

Usage: python crashing_consumer.py NATS_URL MONGO_URI DATABASE. It consumes until it
is stopped with SIGTERM, or until an armed failpoint kills it.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from typing import ClassVar

from pymongo.asynchronous.client_session import AsyncClientSession

from ticketing_common.events import Event, UserCreated
from ticketing_common.logs import configure_logging
from ticketing_common.messaging import Listener, connect_nats, ensure_stream
from ticketing_common.mongo import connect_mongo

DURABLE_SERVICE = "crashtest"


class UserCounter(Listener[UserCreated]):
    event_type: ClassVar[type[Event]] = UserCreated
    ack_wait_seconds: ClassVar[float] = 1

    async def handle(self, event: UserCreated, session: AsyncClientSession | None) -> None:
        await self.db["seen"].update_one(
            {"_id": event.user_id}, {"$inc": {"count": 1}}, upsert=True, session=session
        )


async def main(nats_url: str, mongo_uri: str, database: str) -> None:
    configure_logging(DURABLE_SERVICE, "INFO")
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    nc = await connect_nats(nats_url, DURABLE_SERVICE)
    await ensure_stream(nc.jetstream())
    mongo = connect_mongo(mongo_uri)
    listener = UserCounter(DURABLE_SERVICE, nc.jetstream(), mongo[database])
    await listener.start()
    logging.getLogger(__name__).info("consumer ready")
    await stop.wait()
    await listener.stop()
    await nc.close()
    await mongo.close()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
