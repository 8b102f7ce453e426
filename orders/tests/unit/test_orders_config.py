"""The ticket-key settings: a usable key ring or no start — and a refusal that never
prints the other settings' secrets."""

from __future__ import annotations

import base64

import pytest

from orders.config import KeySettingInvalid, OrdersSettings

BASE = {"jwt_key": "j" * 40, "ticket_key_secret": "legacy-secret-never-printed-0123456789"}


def test_the_signing_key_its_id_and_retired_keys_load() -> None:
    seed, old = base64.b64encode(b"\x01" * 32).decode(), base64.b64encode(b"\x02" * 32).decode()
    settings = OrdersSettings(
        **BASE,
        ticket_signing_key=seed,
        ticket_signing_key_id="k2",
        ticket_retired_public_keys={"k1": old},
    )
    assert [kid for kid, _ in settings.key_ring().published()] == ["k2", "k1"]


def test_a_malformed_key_stops_the_start_without_printing_secrets() -> None:
    with pytest.raises(KeySettingInvalid, match="TICKET_SIGNING_KEY") as refused:
        OrdersSettings(**BASE, ticket_signing_key="too-short")
    assert "never-printed" not in str(refused.value)
