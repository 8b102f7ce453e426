"""Events in, mails out: on the embedded Mongo and NATS, to a real aiosmtpd server."""

from __future__ import annotations

from datetime import timedelta

from nats.aio.client import Client as NatsClient
from notifications_testkit import RecordingHandler, ServeApp, purchase, settled
from pymongo import AsyncMongoClient

from notifications.domain.compose import LATE_PAYMENT
from ticketing_common.events import OrderCancelled, PaymentRefunded, WaitlistOffered, utc_now
from ticketing_common.messaging import Publisher
from ticketing_common.mongo import Document

COMPLETED = "notifications-order-completed"


async def test_a_completed_order_mails_its_tickets_once_even_when_redelivered(
    serve_notifications: ServeApp,
    smtp_server: tuple[RecordingHandler, int],
    clean_stream: NatsClient,
    mongo_client: AsyncMongoClient[Document],
    database_name: str,
) -> None:
    recorder, _ = smtp_server
    bought = purchase()
    js = clean_stream.jetstream()
    publisher = Publisher(js)
    async with serve_notifications():
        for event in (bought.user, bought.show, bought.completed):
            await publisher.publish(event)
        (message,) = await recorder.wait_for(1)
        assert message["To"] == "ada@example.com"
        assert message["Subject"] == "Your tickets for Night at the Opera"
        assert message["Message-ID"] == f"<tickets.{bought.completed.id}@box.test>"
        body = message.get_body(preferencelist=("plain",))
        assert body is not None
        assert "1. Stalls" in body.get_content()
        files = {p.get_filename(): p for p in message.iter_attachments()}
        pdf = files[f"tickets-{bought.completed.order_id}.pdf"]
        assert pdf.get_content_type() == "application/pdf"
        assert pdf.get_content().startswith(b"%PDF")
        assert len(files) == 3  # two QR codes and the PDF

        # The same event again, past the broker's de-duplication (another message id).
        await publisher.publish_raw("order.completed", bought.completed.to_json(), "again")
        await settled(js, COMPLETED)
        await recorder.wait_for(1)
        mails = mongo_client[database_name]["mails"]
        assert await mails.count_documents({"eventId": bought.completed.id}) == 1
    assert len(recorder.messages) == 1


async def test_a_malformed_event_is_terminated_and_the_next_one_mailed(
    serve_notifications: ServeApp,
    smtp_server: tuple[RecordingHandler, int],
    clean_stream: NatsClient,
) -> None:
    recorder, _ = smtp_server
    bought = purchase()
    js = clean_stream.jetstream()
    publisher = Publisher(js)
    async with serve_notifications():
        await publisher.publish(bought.user)
        await publisher.publish(bought.show)
        await publisher.publish_raw("order.completed", b'{"orderId": 7, "broken', "malformed")
        await publisher.publish(bought.completed)
        (message,) = await recorder.wait_for(1)
        assert message["Subject"] == "Your tickets for Night at the Opera"
        await settled(js, COMPLETED)
        info = await js.consumer_info("TICKETING", COMPLETED)
        assert info.num_redelivered == 0  # terminated, not redelivered


async def test_an_order_that_arrives_before_its_buyer_waits_for_the_address(
    serve_notifications: ServeApp,
    smtp_server: tuple[RecordingHandler, int],
    clean_stream: NatsClient,
) -> None:
    recorder, _ = smtp_server
    bought = purchase("late@example.com")
    publisher = Publisher(clean_stream.jetstream())
    async with serve_notifications():
        await publisher.publish(bought.show)
        await publisher.publish(bought.completed)
        await publisher.publish(bought.user)
        (message,) = await recorder.wait_for(1)
        assert message["To"] == "late@example.com"


async def test_money_that_came_after_the_hold_ended_is_refunded_with_an_explanation(
    serve_notifications: ServeApp,
    smtp_server: tuple[RecordingHandler, int],
    clean_stream: NatsClient,
) -> None:
    recorder, _ = smtp_server
    bought = purchase()
    order = bought.completed
    cancelled = OrderCancelled(
        order_id=order.order_id,
        user_id=order.user_id,
        version=2,
        event_id=order.event_id,
        items=order.items,
        amount=order.amount,
        reason="expired",
    )
    refunded = PaymentRefunded(
        payment_id="p1", order_id=order.order_id, refund_id="re_1", amount=9100, currency="usd"
    )
    publisher = Publisher(clean_stream.jetstream())
    async with serve_notifications():
        for event in (bought.user, bought.show, cancelled, refunded):
            await publisher.publish(event)
        messages = await recorder.wait_for(2)
    subjects = sorted(str(m["Subject"]) for m in messages)
    assert subjects == ["Refund of 91.00 USD", "Your order for Night at the Opera was cancelled"]
    (refund,) = [m for m in messages if str(m["Subject"]).startswith("Refund")]
    body = refund.get_body(preferencelist=("plain",))
    assert body is not None
    assert LATE_PAYMENT in body.get_content()


async def test_a_waiting_list_offer_is_mailed_once(
    serve_notifications: ServeApp,
    smtp_server: tuple[RecordingHandler, int],
    clean_stream: NatsClient,
) -> None:
    recorder, _ = smtp_server
    bought = purchase()
    offer = WaitlistOffered(
        entry_id="w1",
        order_id=bought.completed.order_id,
        user_id=bought.user.user_id,
        event_id=bought.show.event_id,
        event_name="Night at the Opera",
        ticket_type_id="stalls",
        ticket_type_name="Stalls",
        quantity=1,
        amount=4550,
        expires_at=utc_now() + timedelta(minutes=30),
    )
    js = clean_stream.jetstream()
    publisher = Publisher(js)
    async with serve_notifications():
        await publisher.publish(bought.user)
        await publisher.publish(offer)
        await publisher.publish_raw("order.waitlist-offered", offer.to_json(), "again")
        (message,) = await recorder.wait_for(1)
        await settled(js, "notifications-order-waitlist-offered")
    assert message["Subject"] == "Tickets for Night at the Opera are held for you"
    assert message["Message-ID"] == f"<waiting_list_offer.{offer.id}@box.test>"
    assert len(recorder.messages) == 1
