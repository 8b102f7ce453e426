"""The dev SMTP server: aiosmtpd on the running event loop, keeping each message it accepts."""

from __future__ import annotations

import asyncio
import email
import logging
from email.message import EmailMessage
from email.policy import default as default_policy
from functools import partial

from aiosmtpd.smtp import SMTP, Envelope, Session

from notifications.store.mailbox import AttachmentInfo, DevMailbox, ReceivedMail
from ticketing_common.events import new_event_id, utc_now

log = logging.getLogger(__name__)


def parse_received(raw: bytes, rcpt_tos: list[str]) -> ReceivedMail:
    """What the Mail page shows of a message: headers, its text and its attachments' names."""
    message = email.message_from_bytes(raw, policy=default_policy)
    assert isinstance(message, EmailMessage)  # the default policy parses into EmailMessage
    body = message.get_body(preferencelist=("plain",))
    text = body.get_content() if isinstance(body, EmailMessage) else ""
    attachments = [
        AttachmentInfo(
            part.get_filename() or "unnamed",
            part.get_content_type(),
            len(part.get_payload(decode=True) or b""),
        )
        for part in message.iter_attachments()
        if isinstance(part, EmailMessage)
    ]
    return ReceivedMail(
        # A message without one still shows; it simply cannot be recognised if repeated.
        message_id=str(message["Message-ID"] or f"<{new_event_id()}@dev-mailbox>"),
        sender=str(message["From"] or ""),
        to=list(rcpt_tos),
        subject=str(message["Subject"] or ""),
        received_at=utc_now(),
        text=text,
        attachments=attachments,
    )


class KeepingHandler:
    """aiosmtpd's handler: every accepted message goes into the dev mailbox."""

    def __init__(self, mailbox: DevMailbox) -> None:
        self.mailbox = mailbox

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        raw = envelope.original_content or envelope.content
        if not isinstance(raw, bytes):
            raw = str(raw).encode()
        received = parse_received(raw, [str(to) for to in envelope.rcpt_tos])
        kept = await self.mailbox.keep(received)
        log.info(
            "mail received",
            extra={"message_id": received.message_id, "kept": kept, "to": received.to},
        )
        return "250 Message accepted for delivery"


async def start_server(
    mailbox: DevMailbox, host: str, port: int, max_message_bytes: int
) -> asyncio.Server:
    """Listen on `host:port` in the running loop; the caller closes the server."""
    factory = partial(
        SMTP, KeepingHandler(mailbox), data_size_limit=max_message_bytes, hostname="dev-mailbox"
    )
    loop = asyncio.get_running_loop()
    return await loop.create_server(factory, host=host, port=port, reuse_address=True)
