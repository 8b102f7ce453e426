"""Anti-fraud ticket keys: signed, unguessable, tamper-evident."""

from __future__ import annotations

from orders.domain.keys import read_ticket_key, sign_ticket_key

SECRET = b"s" * 32


def test_signed_key_round_trips_and_tampering_is_detected() -> None:
    key = sign_ticket_key(SECRET, "t1", "e1")
    parsed = read_ticket_key(SECRET, key)
    assert parsed is not None
    assert (parsed.ticket_id, parsed.event_id) == ("t1", "e1")
    ticket, event, nonce, signature = key.split(".")
    assert read_ticket_key(SECRET, f"t2.{event}.{nonce}.{signature}") is None
    assert read_ticket_key(SECRET, f"{ticket}.e2.{nonce}.{signature}") is None
    assert read_ticket_key(b"o" * 32, key) is None
    assert read_ticket_key(SECRET, "garbage") is None
    assert sign_ticket_key(SECRET, "t1", "e1") != key  # the random part differs
