"""A composed mail, its kinds, and the ids that make sending it exactly-once.

A mail is recorded once per (kind, event id): the record's id is derived from both, so
a redelivered event finds its mail already recorded. The `Message-ID` is derived from
the record id, so a mail sent again after a crash between sending and marking it sent
carries the same id and a mail system (the dev mailbox too) recognises the repeat.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# `waiting_list_offer`: tickets that came free are held for a buyer on a waiting list.
MailKind = Literal["tickets", "order_cancelled", "refund", "waiting_list_offer"]


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    attachments: list[Attachment] = field(default_factory=list)


def mail_record_id(kind: MailKind, event_id: str) -> str:
    """One record per kind and event: what keeps a redelivered event from mailing twice."""
    return f"{kind}:{event_id}"


def message_id(record_id: str, domain: str) -> str:
    """The RFC 5322 Message-ID of a record, the same on every (re)send."""
    local = record_id.replace(":", ".")
    return f"<{local}@{domain}>"


def sender_domain(address: str) -> str:
    """The domain of a From address (`Name <a@b.c>` or `a@b.c`) for Message-IDs."""
    bare = address.rsplit("<", 1)[-1].rstrip(">").strip()
    _, at, domain = bare.rpartition("@")
    return domain if at and domain else "localhost"
