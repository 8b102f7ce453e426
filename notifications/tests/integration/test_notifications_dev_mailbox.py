"""The dev mailbox: the dev SMTP server keeps what it receives, the dev API lists it."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx
from nats.aio.client import Client as NatsClient
from notifications_testkit import ServeApp, purchase
from pymongo import AsyncMongoClient

from notifications.config import NotificationsSettings
from notifications.dev_mailbox.server import start_server
from notifications.mime import to_message
from notifications.smtp import SmtpTransport
from notifications.store.mailbox import DevMailbox
from notifications.store.mails import MailRecords
from ticketing_common.events import utc_now
from ticketing_common.messaging import Publisher
from ticketing_common.mongo import Document
from ticketing_common.testing.http import free_port


async def _listed(http: httpx.AsyncClient, count: int) -> list[dict[str, Any]]:
    async with asyncio.timeout(15):
        while True:
            response = await http.get("/api/notifications/mail")
            assert response.status_code == 200
            if len(items := response.json()) >= count:
                return list(items)
            await asyncio.sleep(0.1)


async def test_mail_sent_to_the_dev_mailbox_is_listed_once_even_when_sent_again(
    serve_notifications: ServeApp,
    notifications_settings: NotificationsSettings,
    clean_stream: NatsClient,
    mongo_client: AsyncMongoClient[Document],
    database_name: str,
) -> None:
    db = mongo_client[database_name]
    port = free_port()
    server = await start_server(DevMailbox(db), "127.0.0.1", port, 10 * 1024 * 1024)
    bought = purchase()
    publisher = Publisher(clean_stream.jetstream())
    try:
        async with (
            serve_notifications(smtp_port=port) as url,
            httpx.AsyncClient(base_url=url) as http,
        ):
            for event in (bought.user, bought.show, bought.completed):
                await publisher.publish(event)
            (item,) = await _listed(http, 1)
            assert item["subject"] == "Your tickets for Night at the Opera"
            assert item["to"] == ["ada@example.com"]
            assert "1. Stalls" in item["text"]
            names = [a["filename"] for a in item["attachments"]]
            assert f"tickets-{bought.completed.order_id}.pdf" in names
            assert item["receivedAt"]

            # A resend after a crash between sending and marking: the same Message-ID.
            records = MailRecords(db)
            assert await records.claim_due(utc_now(), timedelta(seconds=60)) is None  # all sent
            resent = await records.get(f"tickets:{bought.completed.id}")
            assert resent is not None
            settings = notifications_settings.model_copy(update={"smtp_port": port})
            await SmtpTransport(settings).send(to_message(resent, settings.smtp_from))
            response = await http.get("/api/notifications/mail")
            assert len(response.json()) == 1
            assert response.headers["X-Total-Count"] == "1"
    finally:
        server.close()
        await server.wait_closed()


async def test_without_the_dev_setting_there_is_no_mailbox(serve_notifications: ServeApp) -> None:
    async with (
        serve_notifications(dev_mailbox=False) as url,
        httpx.AsyncClient(base_url=url) as http,
    ):
        response = await http.get("/api/notifications/mail")
    assert response.status_code == 404
    assert response.json() == {"errors": [{"message": "Not found"}]}
