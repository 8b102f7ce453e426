"""`python -m notifications.dev_mailbox`: the dev SMTP server until SIGTERM or Ctrl-C."""

from __future__ import annotations

import asyncio
import signal

from notifications.dev_mailbox.config import DevMailboxSettings
from notifications.dev_mailbox.server import start_server
from notifications.store.mailbox import DevMailbox
from ticketing_common.logs import configure_logging
from ticketing_common.mongo import connect_mongo


async def serve(settings: DevMailboxSettings) -> None:
    mongo = connect_mongo(settings.mongo_uri)
    mailbox = DevMailbox(mongo[settings.mongo_db])
    await mailbox.ensure_indexes()
    server = await start_server(
        mailbox, settings.smtp_host, settings.smtp_port, settings.max_message_bytes
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        server.close()
        await server.wait_closed()
        await mongo.close()


def main() -> None:
    configure_logging("dev-mailbox", "INFO")
    asyncio.run(serve(DevMailboxSettings()))


if __name__ == "__main__":
    main()
