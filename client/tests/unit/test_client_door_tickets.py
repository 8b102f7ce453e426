"""Issued tickets named for the door: event, venue, type and seat names, the QR of the key."""

from __future__ import annotations

from datetime import UTC, datetime

from client.door_tickets import pdf_filename, printable_tickets, ticket_cards

EVENT = {
    "id": "e1",
    "name": "Jazz Night",
    "startsAt": "2031-05-01T19:30:00Z",
    "venue": {"name": "Blue Hall", "address": "1 Main St"},
    "ticketTypes": [{"id": "t1", "name": "Stalls", "price": 45}],
    "seating": {
        "sections": [
            {
                "name": "Stalls",
                "rows": [
                    {
                        "label": "C",
                        "ticketTypeId": "t1",
                        "seats": [{"id": "Stalls-C-3", "label": "3"}],
                    }
                ],
            }
        ]
    },
}
ORDER = {
    "id": "o-1",
    "eventId": "e1",
    "tickets": [
        {"id": "tk-1", "key": "k1.abc", "ticketTypeId": "t1", "seatId": "Stalls-C-3", "used": True},
        {"id": "tk-2", "key": "k1.def", "ticketTypeId": "t1"},
        {"id": "tk-3"},  # not issued yet: no key, no card
    ],
}


def test_tickets_carry_names_not_ids() -> None:
    first, second = printable_tickets(ORDER, EVENT, "ann@example.com")
    assert first.event_name == "Jazz Night"
    assert first.starts_at == datetime(2031, 5, 1, 19, 30, tzinfo=UTC)
    assert first.venue == "Blue Hall, 1 Main St"
    assert first.ticket_type_name == "Stalls"
    assert first.seat_label == "Stalls, row C, seat 3"
    assert (first.holder, first.order_id, first.key) == ("ann@example.com", "o-1", "k1.abc")
    assert second.seat_label is None


def test_without_the_event_the_order_summary_or_listing_names_the_ticket() -> None:
    summary = {**ORDER, "event": {"name": "Jazz Night", "startsAt": "2031-05-01T19:30:00Z"}}
    (ticket, _) = printable_tickets(summary, None, "a@b.c")
    assert (ticket.event_name, ticket.ticket_type_name, ticket.venue) == (
        "Jazz Night",
        "Ticket",
        None,
    )
    listing = {"id": "o-2", "ticket": {"title": "Front row"}, "tickets": [{"id": "t", "key": "k"}]}
    (resale,) = printable_tickets(listing, None, "a@b.c")
    assert (resale.event_name, resale.ticket_type_name, resale.starts_at) == (
        "Front row",
        "Resale ticket",
        None,
    )


def test_cards_have_an_inline_qr_svg_and_the_checked_in_flag() -> None:
    cards = ticket_cards(ORDER, EVENT, "ann@example.com")
    assert [c.ticket.ticket_id for c in cards] == ["tk-1", "tk-2"]
    assert str(cards[0].qr).startswith("<svg")
    assert "<title>QR code of ticket tk-1</title>" in cards[0].qr
    assert [c.used for c in cards] == [True, False]


def test_the_pdf_file_name_is_plain_ascii() -> None:
    tickets = printable_tickets(ORDER, {**EVENT, "name": 'Jazz "Night" / Zoë\u2019s'}, "a@b.c")
    assert pdf_filename(tickets, "o-1") == "tickets-jazz-night-zo-s-o1.pdf"
    assert pdf_filename([], "6650a1") == "tickets-6650a1.pdf"
