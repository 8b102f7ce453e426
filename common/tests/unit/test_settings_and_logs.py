"""Start-up settings fail fast and clearly; logs are one JSON object a line."""

from __future__ import annotations

import json
import logging

import pytest

from ticketing_common.config import BaseServiceSettings, load_settings
from ticketing_common.logs import JsonFormatter, event_context, request_id_of


def test_missing_jwt_key_stops_start_up_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("JWT_KEY", raising=False)
    with pytest.raises(SystemExit, match="JWT_KEY"):
        load_settings(BaseServiceSettings)


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JWT_KEY", "e" * 32)
    monkeypatch.setenv("COOKIE_SECURE", "true")
    monkeypatch.setenv("SERVICE_NAME", "orders")
    settings = load_settings(BaseServiceSettings)
    assert settings.cookie_secure is True
    assert settings.database_name == "orders"


def test_log_line_is_json_with_the_event_id_and_extras() -> None:
    record = logging.LogRecord("orders", logging.INFO, __file__, 1, "hold taken", None, None)
    record.orderId = "o-1"
    with event_context("evt-9"):
        line = JsonFormatter("orders").format(record)
    entry = json.loads(line)
    assert entry["msg"] == "hold taken"
    assert entry["service"] == "orders"
    assert entry["eventId"] == "evt-9"
    assert entry["orderId"] == "o-1"


@pytest.mark.parametrize("given", ["5f0c1d2e-3a4b-4c5d-8e7f-901234567890", "abc123", "req_1.2:3-x"])
def test_a_plausible_request_id_is_kept(given: str) -> None:
    assert request_id_of(given) == given


@pytest.mark.parametrize(
    "given", [None, "", "x" * 65, "evil\r\nSet-Cookie: a=b", "<script>", "caf\u00e9", "a b"]
)
def test_any_other_request_id_is_replaced_by_a_new_one(given: str | None) -> None:
    replaced = request_id_of(given)
    assert replaced != given
    assert len(replaced) == 32
