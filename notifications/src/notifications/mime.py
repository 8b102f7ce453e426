"""A recorded mail as the RFC 5322 message that goes out, the same bytes on every resend."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime

from notifications.domain.mail import message_id, sender_domain
from notifications.store.mails import StoredMail


def to_message(stored: StoredMail, sender: str) -> EmailMessage:
    """Message-ID and Date come from the record, so a resend is recognisably the same mail."""
    mail = stored.mail
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(stored.created_at)
    message["Message-ID"] = message_id(stored.record_id, sender_domain(sender))
    message.set_content(mail.text)
    for attachment in mail.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(
            attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return message
