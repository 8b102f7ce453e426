"""Use cases: an order or payment event in, one mail recorded (in the listener's transaction).

Each records at most one mail per (kind, event). What the mail needs from elsewhere
(the buyer's address, the show's name) comes from the replicas; while it has not
arrived the event is retried, for at most `replica_wait` after it happened: past that
the mail goes with what is known, and without an address not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from pymongo.asynchronous.client_session import AsyncClientSession

from notifications.domain.compose import (
    cancelled_mail,
    refund_mail,
    tickets_mail,
    waitlist_offer_mail,
)
from notifications.domain.mail import Mail, MailKind, mail_record_id
from notifications.domain.show import Show, printable_tickets
from notifications.store.mails import MailRecords
from notifications.store.replica import CancelledOrder, MongoReplicas
from ticketing_common.events import (
    Event,
    OrderCancelled,
    OrderCompleted,
    PaymentRefunded,
    WaitlistOffered,
    utc_now,
)
from ticketing_common.messaging import RetryLater

log = logging.getLogger(__name__)
Session = AsyncClientSession | None
UNKNOWN_SHOW = "your event"


@dataclass(frozen=True)
class Notifier:
    replicas: MongoReplicas
    mails: MailRecords
    replica_wait: timedelta = timedelta(minutes=10)
    clock: Callable[[], datetime] = utc_now

    def still_waiting(self, event: Event) -> bool:
        return self.clock() - event.occurred_at < self.replica_wait

    async def recipient(self, event: Event, user_id: str, session: Session) -> str | None:
        email = await self.replicas.email_of(user_id, session)
        if email is None and self.still_waiting(event):
            raise RetryLater(f"no address of user {user_id} yet")
        return email

    async def show(
        self, event: Event, event_id: str | None, listing_id: str | None, session: Session
    ) -> Show:
        if event_id is not None and (show := await self.replicas.show(event_id, session)):
            return show
        if listing_id is not None and (
            title := await self.replicas.listing_title(listing_id, session)
        ):
            return Show(title)
        if self.still_waiting(event) and (event_id or listing_id):
            raise RetryLater(f"show {event_id or listing_id} not replicated yet")
        return Show(UNKNOWN_SHOW)

    async def record(self, kind: MailKind, event: Event, mail: Mail, session: Session) -> None:
        record_id = mail_record_id(kind, event.id)
        await self.mails.record(record_id, kind, event.id, mail, self.clock(), session)
        log.info("mail recorded", extra={"mail": record_id})


async def mail_tickets(ctx: Notifier, event: OrderCompleted, session: Session) -> None:
    to = await ctx.recipient(event, event.user_id, session)
    if to is None:
        log.warning("no address: tickets not mailed", extra={"order_id": event.order_id})
        return
    listing = event.ticket.id if event.ticket else None
    show = await ctx.show(event, event.event_id, listing, session)
    tickets = printable_tickets(show, event.tickets, to, event.order_id)
    await ctx.record("tickets", event, tickets_mail(to, event.order_id, show, tickets), session)


async def mail_cancellation(ctx: Notifier, event: OrderCancelled, session: Session) -> None:
    listing = event.ticket.id if event.ticket else None
    # Kept for the refund that may follow: who to tell, and why the money goes back.
    order = CancelledOrder(event.user_id, (event.event_id, listing), event.reason)
    await ctx.replicas.save_cancelled(event.order_id, order, session)
    to = await ctx.recipient(event, event.user_id, session)
    if to is None:
        log.warning("no address: cancellation not mailed", extra={"order_id": event.order_id})
        return
    show = await ctx.show(event, event.event_id, listing, session)
    mail = cancelled_mail(to, event.order_id, show.name, event.reason, event.was_paid)
    await ctx.record("order_cancelled", event, mail, session)


async def mail_refund(ctx: Notifier, event: PaymentRefunded, session: Session) -> None:
    order = await ctx.replicas.cancelled(event.order_id, session)
    if order is None:
        if ctx.still_waiting(event):
            raise RetryLater(f"order {event.order_id} not known yet")
        log.warning("unknown order: refund not mailed", extra={"order_id": event.order_id})
        return
    to = await ctx.recipient(event, order.user_id, session)
    if to is None:
        log.warning("no address: refund not mailed", extra={"order_id": event.order_id})
        return
    show = await ctx.show(event, *order.show_name_source, session)
    mail = refund_mail(to, event.order_id, event.amount, event.currency, show.name, order.reason)
    await ctx.record("refund", event, mail, session)


async def mail_waitlist_offer(ctx: Notifier, event: WaitlistOffered, session: Session) -> None:
    """The event names the show and the type itself: only the address is looked up."""
    to = await ctx.recipient(event, event.user_id, session)
    if to is None:
        log.warning("no address: offer not mailed", extra={"order_id": event.order_id})
        return
    await ctx.record("waiting_list_offer", event, waitlist_offer_mail(to, event), session)
