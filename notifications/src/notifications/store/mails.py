"""The outbox of mails: each mail recorded once, in the listener's transaction, then sent.

`_id` is `<kind>:<event id>` (`mail_record_id`): recording is an upsert that only
inserts, so a redelivered event changes nothing. The sender claims a due mail (moving
`dueAt` past the claim, so another replica leaves it alone), sends it, and marks it
sent; one that failed is due again after a back-off, until it runs out of attempts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bson import Binary
from pymongo import ASCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from notifications.domain.mail import Attachment, Mail, MailKind
from ticketing_common.mongo import Document

PENDING, SENT, FAILED = "pending", "sent", "failed"

# How many due mails one pass tries to claim when other senders take them first.
CLAIM_ATTEMPTS = 5


@dataclass(frozen=True)
class StoredMail:
    record_id: str
    mail: Mail
    created_at: datetime
    attempts: int


def _document(kind: MailKind, event_id: str, mail: Mail, now: datetime) -> Document:
    return {
        "kind": kind,
        "eventId": event_id,
        "to": mail.to,
        "subject": mail.subject,
        "text": mail.text,
        "attachments": [
            {"filename": a.filename, "contentType": a.content_type, "data": Binary(a.data)}
            for a in mail.attachments
        ],
        "status": PENDING,
        "attempts": 0,
        "createdAt": now,
        "dueAt": now,
    }


def _stored(doc: Document) -> StoredMail:
    attachments = [
        Attachment(a["filename"], a["contentType"], bytes(a["data"])) for a in doc["attachments"]
    ]
    mail = Mail(doc["to"], doc["subject"], doc["text"], attachments)
    return StoredMail(doc["_id"], mail, doc["createdAt"], doc["attempts"])


class MailRecords:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection = db["mails"]

    async def ensure_indexes(self) -> None:
        # The record id already is kind and event id; the unique pair says so in the schema.
        await self.collection.create_index(
            [("eventId", ASCENDING), ("kind", ASCENDING)], unique=True
        )
        await self.collection.create_index([("status", ASCENDING), ("dueAt", ASCENDING)])

    async def record(
        self,
        record_id: str,
        kind: MailKind,
        event_id: str,
        mail: Mail,
        now: datetime,
        session: AsyncClientSession | None,
    ) -> None:
        """Insert the mail unless it is recorded already (a redelivered event)."""
        await self.collection.update_one(
            {"_id": record_id},
            {"$setOnInsert": _document(kind, event_id, mail, now)},
            upsert=True,
            session=session,
        )

    async def claim_due(self, now: datetime, claim: timedelta) -> StoredMail | None:
        """The oldest due mail, claimed for `claim` (no other sender takes it meanwhile).

        Read, then compare-and-set on the due time read (no findAndModify: the embedded
        database answers it by reading the whole collection); a mail another sender
        claimed first is skipped for the next one."""
        due = {"status": PENDING, "dueAt": {"$lte": now}}
        for _ in range(CLAIM_ATTEMPTS):
            doc = await self.collection.find_one(due, sort=[("dueAt", ASCENDING)])
            if doc is None:
                return None
            mine = {"_id": doc["_id"], "status": PENDING, "dueAt": doc["dueAt"]}
            claimed = {"dueAt": now + claim, "attempts": doc.get("attempts", 0) + 1}
            if (await self.collection.update_one(mine, {"$set": claimed})).modified_count:
                return _stored({**doc, **claimed})
        return None

    async def mark_sent(self, record_id: str, now: datetime) -> None:
        await self.collection.update_one(
            {"_id": record_id}, {"$set": {"status": SENT, "sentAt": now, "lastError": None}}
        )

    async def retry_at(self, record_id: str, due_at: datetime, error: str) -> None:
        await self.collection.update_one(
            {"_id": record_id, "status": PENDING},
            {"$set": {"dueAt": due_at, "lastError": error}},
        )

    async def mark_failed(self, record_id: str, error: str) -> None:
        await self.collection.update_one(
            {"_id": record_id}, {"$set": {"status": FAILED, "lastError": error}}
        )

    async def get(self, record_id: str) -> StoredMail | None:
        doc = await self.collection.find_one({"_id": record_id})
        return None if doc is None else _stored(doc)
