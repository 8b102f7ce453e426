"""Sample shows, order records and request bodies shared by the tickets tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ticketing_common.domain_errors import DomainError
from ticketing_common.events import utc_now
from tickets.domain.drafts import RowSpec, SectionSpec, ShowDraft, TicketTypeSpec, Venue
from tickets.domain.sales import OrderLine, OrderRecord

NOW = datetime(2030, 1, 1, tzinfo=UTC)
START = NOW + timedelta(days=30)


def draft(**changes: object) -> ShowDraft:
    base = ShowDraft(
        name="Jazz Night",
        description="Live",
        category="Music",
        venue=Venue("Hall", "1 Main St"),
        starts_at=START,
        ends_at=START + timedelta(hours=3),
        hold_minutes=15,
        currency="usd",
        ticket_types=(TicketTypeSpec("GA", 2000, 100), TicketTypeSpec("VIP", 9000, 10)),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


SEATED = draft(
    ticket_types=(TicketTypeSpec("Stalls", 3000, None), TicketTypeSpec("Box", 8000, None)),
    seating=(
        SectionSpec(
            "Main Floor",
            (RowSpec("A", ("1", "2", "3"), "stalls"), RowSpec("B", ("1", "2"), "Box")),
        ),
    ),
)


def field_of(error: pytest.ExceptionInfo[DomainError]) -> str | None:
    return error.value.field


def record(state: str, *lines: OrderLine, expires: datetime | None = None) -> OrderRecord:
    return OrderRecord("o1", state, "e1", None, lines, expires)  # type: ignore[arg-type]


def stadium(sections: int, rows: int, per_row: int) -> dict[str, Any]:
    """The JSON of a new event with a seat map of `sections` x `rows` x `per_row` seats."""
    starts = utc_now() + timedelta(days=30)
    return {
        "name": "Cup Final",
        "category": "Sport",
        "venue": {"name": "Stadium", "address": "1 Ring Rd"},
        "startsAt": starts.isoformat(),
        "endsAt": (starts + timedelta(hours=2)).isoformat(),
        "ticketTypes": [{"name": "Lower", "price": 60}, {"name": "Upper", "price": 35}],
        "seating": {
            "sections": [
                {
                    "name": f"Block {s}",
                    "rows": [
                        {
                            "label": f"R{r}",
                            "seats": per_row,
                            "ticketType": "Lower" if s < sections // 2 else "Upper",
                        }
                        for r in range(1, rows + 1)
                    ],
                }
                for s in range(1, sections + 1)
            ]
        },
    }
