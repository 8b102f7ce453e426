"""What the use cases need from the outside: the replicas, the mail outbox, SMTP."""

from __future__ import annotations

from email.message import EmailMessage
from typing import Protocol


class MailTransport(Protocol):
    async def send(self, message: EmailMessage) -> None:
        """Hand the message to the mail system; raises when it was not accepted."""
