"""The body limit is sized to the largest legitimate request: a 100,000-seat map."""

from __future__ import annotations

import json
from typing import Any

from tickets_samples import stadium

from ticketing_common.domain_errors import RuleViolation
from ticketing_common.events import utc_now
from tickets.api.show_schemas import EventIn
from tickets.config import MAX_BODY_BYTES
from tickets.domain.shows import new_show


def labelled(width: int) -> dict[str, Any]:
    """100,000 seats (100 sections of 10 rows of 100) listed by labels `width` digits wide."""
    body = stadium(100, 10, 100)
    for section in body["seating"]["sections"]:
        for row in section["rows"]:
            row["seats"] = [f"{n:0{width}d}" for n in range(100)]
    return body


def accepted(body: dict[str, Any]) -> bool:
    try:
        new_show("e1", "org", EventIn.model_validate(body).draft(), utc_now())
    except RuleViolation:
        return False
    return True


def test_the_largest_seat_map_the_catalog_accepts_fits_the_limit_even_pretty_printed() -> None:
    body = labelled(5)
    assert accepted(body)
    assert not accepted(labelled(6))  # six-character labels no longer fit one event message
    assert 800_000 < len(json.dumps(body, separators=(",", ":")).encode()) < MAX_BODY_BYTES
    assert len(json.dumps(body, indent=4).encode()) <= MAX_BODY_BYTES


def test_the_limit_refuses_what_no_event_needs() -> None:
    assert MAX_BODY_BYTES < 10 * 1024 * 1024
