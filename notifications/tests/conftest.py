"""Fixtures of the notifications suites: the app on the test servers, a real SMTP server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from nats.aio.client import Client as NatsClient
from notifications_testkit import RecordingHandler, ServeApp

from notifications.config import NotificationsSettings
from notifications.main import create_app
from ticketing_common.testing.http import free_port, serve


@pytest.fixture
def smtp_server() -> Iterator[tuple[RecordingHandler, int]]:
    """A real aiosmtpd server on a free port that records what it receives."""
    handler = RecordingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture
def notifications_settings(
    service_settings: dict[str, Any], smtp_server: tuple[RecordingHandler, int]
) -> NotificationsSettings:
    return NotificationsSettings(
        **service_settings,
        smtp_port=smtp_server[1],
        smtp_from="Ticketing <tickets@box.test>",
        mail_poll_seconds=0.2,
        dev_mailbox=True,
    )


@pytest.fixture
def serve_notifications(
    notifications_settings: NotificationsSettings, clean_stream: NatsClient
) -> ServeApp:
    """Serve the notifications app on a purged stream, optionally with changed settings."""

    @asynccontextmanager
    async def start(**changes: Any) -> AsyncIterator[str]:
        settings = notifications_settings.model_copy(update=changes)
        async with serve(create_app(settings)) as base_url:
            yield base_url

    return start
