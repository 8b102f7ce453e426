"""The sender on the real database: sent once and marked, retried with back-off, given up,
and sent again with the same Message-ID after a crash between sending and marking."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage

from pymongo import AsyncMongoClient

from notifications.domain.mail import Mail
from notifications.mime import to_message
from notifications.sender import MailSender
from notifications.store.mails import MailRecords
from ticketing_common.events import utc_now
from ticketing_common.mongo import Document

SENDER = "Ticketing <tickets@box.test>"


@dataclass
class Clock:
    now: datetime = field(default_factory=utc_now)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Transport:
    failures: int = 0
    sent: list[EmailMessage] = field(default_factory=list)

    async def send(self, message: EmailMessage) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionRefusedError("smtp down")
        self.sent.append(message)


async def _records(
    mongo_client: AsyncMongoClient[Document], name: str, clock: Clock
) -> MailRecords:
    records = MailRecords(mongo_client[name])
    await records.ensure_indexes()
    mail = Mail("a@x.test", "Refund", "Hello")
    for _ in range(2):  # recording twice (a redelivery) keeps one record
        await records.record("refund:e1", "refund", "e1", mail, clock(), None)
    return records


async def test_a_mail_is_sent_once_and_marked(
    mongo_client: AsyncMongoClient[Document], database_name: str
) -> None:
    clock = Clock()
    records = await _records(mongo_client, database_name, clock)
    transport = Transport()
    sender = MailSender(records, transport, SENDER, clock=clock)
    assert await sender.send_due() == 1
    assert await sender.send_due() == 0
    assert [m["Message-ID"] for m in transport.sent] == ["<refund.e1@box.test>"]
    assert await mongo_client[database_name]["mails"].count_documents({"status": "sent"}) == 1


async def test_a_failed_send_is_retried_after_a_back_off_then_given_up(
    mongo_client: AsyncMongoClient[Document], database_name: str
) -> None:
    clock = Clock()
    records = await _records(mongo_client, database_name, clock)
    sender = MailSender(records, Transport(failures=2), SENDER, max_attempts=2, clock=clock)
    assert await sender.send_due() == 0
    assert await sender.send_due() == 0  # not due again yet
    clock.now += timedelta(seconds=6)
    assert await sender.send_due() == 0  # the second and last attempt fails too
    doc = await mongo_client[database_name]["mails"].find_one({"_id": "refund:e1"})
    assert doc is not None
    assert (doc["status"], doc["attempts"]) == ("failed", 2)
    assert "smtp down" in doc["lastError"]


async def test_a_crash_between_send_and_mark_resends_the_same_message_id(
    mongo_client: AsyncMongoClient[Document], database_name: str
) -> None:
    clock = Clock()
    records = await _records(mongo_client, database_name, clock)
    transport = Transport()
    claim = timedelta(seconds=60)
    # A sender that claimed and sent, then died before marking the mail sent.
    stored = await records.claim_due(clock(), claim)
    assert stored is not None
    await transport.send(to_message(stored, SENDER))
    sender = MailSender(records, transport, SENDER, claim=claim, clock=clock)
    assert await sender.send_due() == 0  # still claimed by the dead sender
    clock.now += claim
    assert await sender.send_due() == 1
    first, second = transport.sent
    assert first["Message-ID"] == second["Message-ID"] == "<refund.e1@box.test>"
    assert first.as_bytes() == second.as_bytes()
