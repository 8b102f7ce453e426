"""Sample shows and order records shared by the tickets unit tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from ticketing_common.domain_errors import DomainError
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
