"""Start-up settings fail fast and clearly; logs are one JSON object a line."""

from __future__ import annotations

import json
import logging

import pytest

from ticketing_common.config import BaseServiceSettings, load_settings
from ticketing_common.logs import JsonFormatter, event_context


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
