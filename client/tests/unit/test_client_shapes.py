"""Reading API shapes: availability variants, seat maps, order lines, request bodies, errors."""

from __future__ import annotations

import json

import pytest

from client.checkout import order_lines, payment_body
from client.forms import FormErrors
from client.gateway import ApiError, api_path
from client.pages.catalog import event_body, number
from client.pages.event import hold_body
from client.shapes import page_items, page_total, read_availability, seat_sections
from client.web import safe_next

SEATED = {
    "ticketTypes": [{"id": "t1", "name": "Stalls", "price": 10}],
    "seats": [
        {"id": "b2", "section": "Main", "row": "B", "label": "2", "index": 3, "ticketTypeId": "t1"},
        {"id": "a1", "section": "Main", "row": "A", "label": "1", "index": 0, "ticketTypeId": "t1"},
        {"id": "a2", "section": "Main", "row": "A", "label": "2", "index": 1, "ticketTypeId": "t1"},
    ],
}


def test_availability_as_lists_or_maps() -> None:
    listed = read_availability(
        {
            "ticketTypes": [{"ticketTypeId": "t1", "remaining": 3}],
            "seats": [{"seatId": "a1", "state": "held"}],
        }
    )
    mapped = read_availability({"ticketTypes": {"t1": {"remaining": 3}}, "seats": {"a1": "held"}})
    assert listed == mapped
    assert listed.remaining == {"t1": 3}
    assert listed.seats == {"a1": "held"}
    assert read_availability(None).remaining == {}


def test_seat_sections_group_rows_in_seat_order() -> None:
    [section] = seat_sections(SEATED)
    assert section.name == "Main"
    assert [(r.label, [s.id for s in r.seats]) for r in section.rows] == [
        ("A", ["a1", "a2"]),
        ("B", ["b2"]),
    ]


def test_seat_sections_from_nested_seating() -> None:
    event = {
        "seating": {
            "sections": [
                {
                    "name": "Balcony",
                    "rows": [
                        {
                            "label": "C",
                            "ticketType": "t1",
                            "seats": [{"id": "c1", "label": "1"}, {"id": "c2", "label": "2"}],
                        },
                        {"label": "D", "seats": 8},  # only a count: nothing to pick
                    ],
                }
            ]
        }
    }
    [section] = seat_sections(event)
    assert [s.id for s in section.rows[0].seats] == ["c1", "c2"]
    assert section.rows[0].seats[0].ticket_type_id == "t1"
    assert len(section.rows) == 1


def test_paged_object_or_bare_array() -> None:
    assert page_items({"items": [{"id": 1}], "total": 9}) == [{"id": 1}]
    assert page_items([{"id": 2}, "junk"]) == [{"id": 2}]
    assert page_total({"total": 9}, None, 0) == 9
    assert page_total([], {"x-total-count": "4"}, 0) == 4
    assert page_total({}, {}, 7) == 7


def test_order_lines_name_types_and_seats() -> None:
    order = {
        "items": [
            {"ticketTypeId": "t1", "quantity": 1, "unitPrice": 10, "seatId": "a2"},
            {"ticketTypeId": "t9", "quantity": 3, "unitPrice": 0.1},
        ]
    }
    lines = order_lines(order, SEATED)
    assert lines[0].label == "Stalls — Main row A seat 2"
    assert lines[1].label == "t9"
    assert str(lines[1].total) == "0.3"
    listing = order_lines({"ticket": {"id": "x", "title": "Gig", "price": 5}}, None)
    assert [(x.label, x.total) for x in listing] == [("Gig", 5)]


def test_payment_body_uses_token_or_payment_method() -> None:
    assert payment_body("o1", "tok_visa") == {"orderId": "o1", "token": "tok_visa"}
    assert payment_body("o1", "pm_card_visa") == {"orderId": "o1", "paymentMethod": "pm_card_visa"}


def test_hold_bodies_for_each_way_of_holding() -> None:
    lists = {"seat": ["a1", "a2"], "typeId": ["t1", "t2"], "typeQuantity": ["0", "2"]}
    assert hold_body("e", {"mode": "items"}, lists) == {
        "eventId": "e",
        "items": [{"ticketTypeId": "t2", "quantity": 2}],
    }
    assert hold_body("e", {"mode": "seats"}, lists) == {"eventId": "e", "seats": ["a1", "a2"]}
    together = hold_body("e", {"mode": "together", "ticketTypeId": "t1", "quantity": "3"}, lists)
    assert together == {"eventId": "e", "ticketTypeId": "t1", "quantity": 3, "together": True}


def test_event_body_with_seating_json() -> None:
    form = {
        "name": "N",
        "startsAt": "2031-01-01T10:00",
        "endsAt": "2031-01-01T12:00",
        "seating": json.dumps({"sections": []}),
    }
    types = {"typeName": ["A"], "typePrice": ["9.99"], "typeQuantity": [""], "typeMax": ["2"]}
    body = event_body(form, types)
    assert body["ticketTypes"] == [{"name": "A", "price": 9.99, "maxPerOrder": 2}]
    assert body["seating"] == {"sections": []}
    assert body["holdMinutes"] == 15
    with pytest.raises(json.JSONDecodeError):
        event_body({**form, "seating": "{nope"}, types)


def test_numbers_left_as_text_when_invalid() -> None:
    assert number("12") == 12
    assert number("12.50") == 12.5
    assert number("twelve") == "twelve"


def test_form_errors_next_to_fields_and_general() -> None:
    errors = FormErrors.of_api(
        [
            ApiError("Too cheap", "ticketTypes.0.price"),
            ApiError("Email in use"),
            ApiError("Odd", "other"),
        ],
        ["ticketTypes", "name"],
    )
    assert errors.of("ticketTypes") == ["Too cheap"]
    assert errors.of("name") == []
    assert errors.general == ["Email in use", "Odd (other)"]


def test_redirect_targets_stay_on_site_and_ids_stay_one_segment() -> None:
    assert safe_next("/orders?x=1") == "/orders?x=1"
    assert safe_next("//evil.example") == "/"
    assert safe_next("https://evil.example") == "/"
    assert api_path("/api/orders/{}", "../users") == "/api/orders/..%2Fusers"
