"""The dev mailbox as `make dev` runs it: its own process, receiving over SMTP, keeping mail
in the notifications database."""

from __future__ import annotations

import asyncio
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

from pymongo import AsyncMongoClient

from notifications.config import NotificationsSettings
from notifications.smtp import SmtpTransport
from notifications.store.mailbox import DevMailbox
from ticketing_common.devstack import StackSettings, Supervisor
from ticketing_common.devstack.parts import mailbox_part
from ticketing_common.mongo import Document
from ticketing_common.testing.endpoints import Endpoints
from ticketing_common.testing.http import free_port
from ticketing_common.testing.plugin import TEST_JWT_KEY


async def test_the_dev_mailbox_part_keeps_what_it_receives(
    embedded_servers: Endpoints,
    mongo_client: AsyncMongoClient[Document],
    tmp_path: Path,
) -> None:
    mongo_port = urlsplit(embedded_servers.mongo_uri).port
    stack = StackSettings.model_validate(
        {"data_dir": tmp_path, "in_memory": True, "mongo_port": mongo_port}
        | {"smtp_port": free_port(), "extra_env": {"JWT_KEY": TEST_JWT_KEY}}
    )
    (part,) = mailbox_part(stack)
    supervisor = Supervisor([part], tmp_path / "logs", "127.0.0.1", lambda _: None)
    mailbox = DevMailbox(mongo_client["notifications"])
    await mongo_client["notifications"]["dev_mailbox"].delete_many({"_id": "<part@box.test>"})
    message = EmailMessage()
    message["From"], message["To"] = "tickets@box.test", "ada@example.com"
    message["Subject"], message["Message-ID"] = "Hello from make dev", "<part@box.test>"
    message.set_content("It works.")
    settings = NotificationsSettings(jwt_key=TEST_JWT_KEY, smtp_port=stack.smtp_port)
    try:
        await asyncio.to_thread(supervisor.start_all, 30)
        await SmtpTransport(settings).send(message)
        await SmtpTransport(settings).send(message)  # a resend: the same Message-ID
        mails, total = await mailbox.newest(0, 100)
    finally:
        await asyncio.to_thread(supervisor.stop_all)
    kept = [m for m in mails if m.message_id == "<part@box.test>"]
    assert [(m.subject, m.to, m.text.strip()) for m in kept] == [
        ("Hello from make dev", ["ada@example.com"], "It works.")
    ]
    assert total >= 1
