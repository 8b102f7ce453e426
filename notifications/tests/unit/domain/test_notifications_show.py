"""Seat labels read back from seat ids, and ticket types named from the replica."""

from __future__ import annotations

from notifications.domain.mail import mail_record_id, message_id, sender_domain
from notifications.domain.show import Show, printable_tickets, seat_label
from ticketing_common.events import IssuedTicketRef, seat_id


def test_a_seat_id_reads_back_as_section_row_and_seat() -> None:
    assert seat_label(seat_id("Main Floor", "A", "12")) == "Main Floor, row A, seat 12"
    assert seat_label("odd") == "odd"
    assert seat_label(None) is None


def test_an_unknown_type_still_prints() -> None:
    ref = IssuedTicketRef(id="t1", key="k", ticket_type_id="gone")
    (ticket,) = printable_tickets(Show("Gala"), [ref], "h@x.test", "o1")
    assert (ticket.ticket_type_name, ticket.holder, ticket.order_id) == ("Ticket", "h@x.test", "o1")


def test_record_and_message_ids_derive_from_kind_and_event() -> None:
    assert mail_record_id("refund", "e1") == "refund:e1"
    assert message_id("refund:e1", "box.test") == "<refund.e1@box.test>"
    assert sender_domain("Ticketing <tickets@box.test>") == "box.test"
    assert sender_domain("nobody") == "localhost"
