"""The words and attachments of each kind of mail."""

from __future__ import annotations

import email
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest

from notifications.domain.compose import (
    LATE_PAYMENT,
    cancelled_mail,
    money,
    refund_mail,
    tickets_mail,
    waitlist_offer_mail,
)
from notifications.domain.show import Show, printable_tickets
from ticketing_common.events import CancelReason, IssuedTicketRef, WaitlistOffered

STARTS = datetime(2030, 5, 1, 19, 30, tzinfo=UTC)
SHOW = Show("Night at the Opera", STARTS, "Royal Hall", {"stalls": "Stalls", "ga": "Standing"})
TICKETS = [
    IssuedTicketRef(id="t1", key="k1.aaaa.sig", ticket_type_id="stalls", seat_id="Box_1-A-12"),
    IssuedTicketRef(id="t2", key="k1.bbbb.sig", ticket_type_id="ga"),
]


def test_the_tickets_mail_lists_each_ticket_and_attaches_codes_and_a_pdf() -> None:
    printable = printable_tickets(SHOW, TICKETS, "ada@example.com", "o1")
    mail = tickets_mail("ada@example.com", "o1", SHOW, printable)
    assert mail.to == "ada@example.com"
    assert mail.subject == "Your tickets for Night at the Opera"
    assert "When:  Wed 1 May 2030, 19:30 UTC" in mail.text
    assert "Where: Royal Hall" in mail.text
    assert "  1. Stalls, Box 1, row A, seat 12 (ticket t1)" in mail.text
    assert "  2. Standing (ticket t2)" in mail.text
    names = [a.filename for a in mail.attachments]
    assert names == ["ticket-1-t1.png", "ticket-2-t2.png", "tickets-o1.pdf"]
    pdf = mail.attachments[-1]
    assert pdf.content_type == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert all(a.data.startswith(b"\x89PNG") for a in mail.attachments[:2])


def test_a_show_without_a_venue_or_date_says_neither() -> None:
    listing = Show("Front row, resale")
    resale = [IssuedTicketRef(id="t9", key="k1.cccc.sig")]
    mail = tickets_mail("b@x.test", "o2", listing, printable_tickets(listing, resale, "b", "o2"))
    assert "When:" not in mail.text
    assert "Where:" not in mail.text
    assert "  1. Resale ticket (ticket t9)" in mail.text


@pytest.mark.parametrize(
    ("reason", "subject", "says"),
    [
        ("expired", "Your order for Gala was cancelled", "ended before it was paid"),
        ("cancelled_by_buyer", "Your order for Gala was cancelled", "You cancelled"),
        ("event_cancelled", "Gala was cancelled", "The organizer cancelled Gala"),
        ("listing_withdrawn", "Your order for Gala was cancelled", "The seller withdrew Gala"),
    ],
)
def test_a_cancellation_says_why(reason: CancelReason, subject: str, says: str) -> None:
    mail = cancelled_mail("c@x.test", "o3", "Gala", reason)
    assert mail.subject == subject
    assert says in mail.text
    assert "Order: o3" in mail.text
    assert mail.attachments == []


def test_a_paid_order_that_was_cancelled_says_its_tickets_are_void_and_refunded() -> None:
    mail = cancelled_mail("c@x.test", "o3", "Gala", "event_cancelled", was_paid=True)
    assert "Your tickets are no longer valid" in mail.text
    assert "no longer valid" not in cancelled_mail("c@x.test", "o3", "Gala", "expired").text


def test_money_that_arrived_after_the_hold_ended_is_explained() -> None:
    mail = refund_mail("d@x.test", "o4", 4550, "eur", "Gala", "expired")
    assert mail.subject == "Refund of 45.50 EUR"
    assert LATE_PAYMENT in mail.text
    assert LATE_PAYMENT == (
        "During purchase something went wrong, no tickets bought, we returned you your money."
    )
    assert "Refunded: 45.50 EUR" in mail.text


def test_a_refund_for_a_cancelled_event_names_the_event() -> None:
    mail = refund_mail("d@x.test", "o5", 2050, "usd", "Gala", "event_cancelled")
    assert "Gala was cancelled by its organizer" in mail.text
    assert LATE_PAYMENT not in mail.text
    assert money(5, "usd") == "0.05 USD"


def test_the_mail_is_a_message_with_its_attachments_and_a_stable_id() -> None:
    from notifications.mime import to_message
    from notifications.store.mails import StoredMail

    printable = printable_tickets(SHOW, TICKETS[:1], "ada@example.com", "o1")
    mail = tickets_mail("ada@example.com", "o1", SHOW, printable)
    stored = StoredMail("tickets:evt-1", mail, STARTS, attempts=1)
    first = to_message(stored, "Ticketing <tickets@box.test>")
    again = to_message(stored, "Ticketing <tickets@box.test>")
    assert first["Message-ID"] == again["Message-ID"] == "<tickets.evt-1@box.test>"
    parsed = email.message_from_bytes(first.as_bytes(), policy=default_policy)
    assert isinstance(parsed, EmailMessage)
    assert [p.get_filename() for p in parsed.iter_attachments()] == [
        "ticket-1-t1.png",
        "tickets-o1.pdf",
    ]


def test_the_waiting_list_offer_mail_says_what_is_held_until_when_and_what_then() -> None:
    offer = WaitlistOffered(
        entry_id="w1",
        order_id="o9",
        user_id="u1",
        event_id="e1",
        event_name="Night at the Opera",
        ticket_type_id="stalls",
        ticket_type_name="Stalls",
        quantity=2,
        amount=9100,
        currency="eur",
        expires_at=datetime(2030, 5, 1, 12, 30, tzinfo=UTC),
    )

    mail = waitlist_offer_mail("ada@example.com", offer)

    assert mail.subject == "Tickets for Night at the Opera are held for you"
    assert "Held for you: 2 x Stalls, 91.00 EUR" in mail.text
    assert "Until:        Wed 1 May 2030, 12:30 UTC" in mail.text
    assert "they go to the next person waiting" in mail.text
    assert "Order: o9" in mail.text
    assert mail.attachments == []
