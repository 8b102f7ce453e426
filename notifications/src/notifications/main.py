"""Composition root of the notifications service."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI

from notifications.api import router
from notifications.config import NotificationsSettings
from notifications.container import NotificationsContainer
from notifications.handlers import Notifier
from notifications.listeners.mails import MAIL_LISTENERS
from notifications.listeners.replica import REPLICA_LISTENERS
from notifications.ports import MailTransport
from notifications.sender import MailSender
from notifications.smtp import SmtpTransport
from notifications.store.mailbox import DevMailbox
from notifications.store.mails import MailRecords
from notifications.store.replica import MongoReplicas
from ticketing_common.app import Runtime, create_service_app
from ticketing_common.config import load_settings


def create_app(
    settings: NotificationsSettings | None = None, transport: MailTransport | None = None
) -> FastAPI:
    """The notifications app; without a `transport` it sends over SMTP as configured."""
    settings = settings or load_settings(NotificationsSettings)

    async def wire(app: FastAPI, runtime: Runtime) -> NotificationsContainer:
        replicas, mails = MongoReplicas(runtime.db), MailRecords(runtime.db)
        await mails.ensure_indexes()
        mailbox = DevMailbox(runtime.db)
        if settings.dev_mailbox:
            await mailbox.ensure_indexes()
        sender = MailSender(
            mails,
            transport or SmtpTransport(settings),
            settings.smtp_from,
            settings.mail_poll_seconds,
            timedelta(seconds=settings.mail_claim_seconds),
            settings.mail_max_attempts,
        )
        ctx = Notifier(replicas, mails, timedelta(seconds=settings.replica_wait_seconds))
        name = settings.service_name
        for replica_listener in REPLICA_LISTENERS:
            runtime.listeners.append(replica_listener(name, runtime.js, runtime.db, replicas))
        for mail_listener in MAIL_LISTENERS:
            runtime.listeners.append(mail_listener(name, runtime.js, runtime.db, ctx, sender.wake))
        sender.start()
        # Stopped after the listeners (which wake it), before Mongo closes.
        runtime.on_shutdown.append(sender.stop)
        return NotificationsContainer(mailbox)

    return create_service_app(
        settings, title="Ticketing notifications", routers=[router], wire=wire
    )
