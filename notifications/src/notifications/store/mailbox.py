"""The dev mailbox's messages: written by the dev SMTP server, listed by the dev API.

A message is kept once per Message-ID, so a mail sent again after a crash (same id,
see `mime.to_message`) shows once, as a real mail system would recognise it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pymongo import DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from ticketing_common.mongo import Document


@dataclass(frozen=True)
class AttachmentInfo:
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class ReceivedMail:
    message_id: str
    sender: str
    to: list[str]
    subject: str
    received_at: datetime
    text: str
    attachments: list[AttachmentInfo] = field(default_factory=list)


class DevMailbox:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection = db["dev_mailbox"]

    async def ensure_indexes(self) -> None:
        await self.collection.create_index([("receivedAt", DESCENDING)])

    async def keep(self, mail: ReceivedMail) -> bool:
        """Keep a received message; False when one with its Message-ID is kept already."""
        doc = {
            "from": mail.sender,
            "to": mail.to,
            "subject": mail.subject,
            "receivedAt": mail.received_at,
            "text": mail.text,
            "attachments": [
                {"filename": a.filename, "contentType": a.content_type, "size": a.size}
                for a in mail.attachments
            ],
        }
        result = await self.collection.update_one(
            {"_id": mail.message_id}, {"$setOnInsert": doc}, upsert=True
        )
        return result.upserted_id is not None

    async def newest(self, skip: int, limit: int) -> tuple[list[ReceivedMail], int]:
        """A page of messages, newest first, and how many there are in all."""
        cursor = self.collection.find().sort("receivedAt", DESCENDING).skip(skip).limit(limit)
        docs = await cursor.to_list()
        total = await self.collection.count_documents({})
        return [_received(doc) for doc in docs], total


def _received(doc: Document) -> ReceivedMail:
    attachments = [
        AttachmentInfo(a["filename"], a["contentType"], a["size"]) for a in doc["attachments"]
    ]
    return ReceivedMail(
        doc["_id"],
        doc["from"],
        doc["to"],
        doc["subject"],
        doc["receivedAt"],
        doc["text"],
        attachments,
    )
