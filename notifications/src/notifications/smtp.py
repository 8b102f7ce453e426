"""Sending over SMTP with the standard library, off the event loop.

`smtplib` is blocking, so each send runs in a worker thread with its own connection
(mail volume is low: one per order event); STARTTLS and a login when configured.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from email.message import EmailMessage

from notifications.config import NotificationsSettings


class SmtpTransport:
    def __init__(self, settings: NotificationsSettings) -> None:
        self.settings = settings

    async def send(self, message: EmailMessage) -> None:
        await asyncio.to_thread(self._send, message)

    def _send(self, message: EmailMessage) -> None:
        s = self.settings
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds) as smtp:
            if s.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if s.smtp_user and s.smtp_password is not None:
                smtp.login(s.smtp_user, s.smtp_password.get_secret_value())
            smtp.send_message(message)
