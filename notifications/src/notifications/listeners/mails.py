"""Listeners that record one mail per order or payment event.

Each runs in the processed-event transaction (`idempotent`), and the mail record is
keyed by the event, so a redelivered event records nothing twice. After a batch has
committed the sender is woken, so a mail leaves at once rather than at the next poll.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from notifications.handlers import (
    Notifier,
    mail_cancellation,
    mail_refund,
    mail_tickets,
    mail_waitlist_offer,
)
from ticketing_common.events import (
    Event,
    OrderCancelled,
    OrderCompleted,
    PaymentRefunded,
    WaitlistOffered,
)
from ticketing_common.messaging import Listener
from ticketing_common.mongo import Document


class _MailListener(Listener[Any]):
    def __init__(
        self,
        service: str,
        js: JetStreamContext,
        db: AsyncDatabase[Document],
        ctx: Notifier,
        wake_sender: Callable[[], None],
    ) -> None:
        super().__init__(service, js, db)
        self.ctx = ctx
        self.wake_sender = wake_sender

    async def process_batch(self, messages: list[Msg]) -> None:
        await super().process_batch(messages)
        self.wake_sender()


class OrderCompletedListener(_MailListener):
    event_type: ClassVar[type[Event]] = OrderCompleted

    async def handle(self, event: OrderCompleted, session: AsyncClientSession | None) -> None:
        await mail_tickets(self.ctx, event, session)


class OrderCancelledListener(_MailListener):
    event_type: ClassVar[type[Event]] = OrderCancelled

    async def handle(self, event: OrderCancelled, session: AsyncClientSession | None) -> None:
        await mail_cancellation(self.ctx, event, session)


class PaymentRefundedListener(_MailListener):
    event_type: ClassVar[type[Event]] = PaymentRefunded

    async def handle(self, event: PaymentRefunded, session: AsyncClientSession | None) -> None:
        await mail_refund(self.ctx, event, session)


class WaitlistOfferedListener(_MailListener):
    event_type: ClassVar[type[Event]] = WaitlistOffered

    async def handle(self, event: WaitlistOffered, session: AsyncClientSession | None) -> None:
        await mail_waitlist_offer(self.ctx, event, session)


MAIL_LISTENERS: tuple[type[_MailListener], ...] = (
    OrderCompletedListener,
    OrderCancelledListener,
    PaymentRefundedListener,
    WaitlistOfferedListener,
)
