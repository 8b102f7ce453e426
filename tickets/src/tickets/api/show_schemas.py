"""JSON requests of `/api/events`, and their translation to the domain."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AwareDatetime, Field, field_validator

from ticketing_common.money import to_minor
from ticketing_common.schemas import CamelModel
from tickets.api.deps import Price
from tickets.api.text import paragraph, trimmed
from tickets.domain.drafts import (
    RowSpec,
    SectionSpec,
    ShowDraft,
    ShowPatch,
    TicketTypeChange,
    TicketTypeSpec,
    Venue,
)
from tickets.money import SUPPORTED_CURRENCIES

Name = Annotated[str, trimmed(200)]
Label = Annotated[str, trimmed(20)]
Quantity = Annotated[int, Field(gt=0, le=100_000)]
MaxPerOrder = Annotated[int, Field(ge=1, le=100)]
# A tax rate as a percentage with at most 2 decimals (19.5); inside: basis points (1950).
TaxRate = Annotated[Decimal, Field(ge=0, le=100, decimal_places=2)]


def basis_points(rate: Decimal | None) -> int | None:
    return None if rate is None else int(rate * 100)


class VenueIn(CamelModel):
    name: Name
    address: Annotated[str, trimmed(500)]


class TicketTypeIn(CamelModel):
    name: Annotated[str, trimmed(100)]
    price: Price
    quantity: Quantity | None = None  # general admission only; seat maps count their seats
    max_per_order: MaxPerOrder = 5
    tax_rate: TaxRate = Decimal(0)
    tax_included: bool = True  # in the price (VAT), or added on top (US sales tax)
    hidden: bool = False  # sold only with a voucher that unlocks it


class RowIn(CamelModel):
    label: Label
    # A seat count (labels 1..N) or the seat labels in order along the row.
    seats: (
        Annotated[int, Field(gt=0, le=1000)]
        | Annotated[list[Label], Field(min_length=1, max_length=1000)]
    )
    ticket_type: Annotated[str, trimmed(100)]

    def labels(self) -> tuple[str, ...]:
        if isinstance(self.seats, int):
            return tuple(str(n) for n in range(1, self.seats + 1))
        return tuple(self.seats)


class SectionIn(CamelModel):
    name: Annotated[str, trimmed(100)]
    rows: Annotated[list[RowIn], Field(min_length=1, max_length=1000)]


class SeatingIn(CamelModel):
    sections: Annotated[list[SectionIn], Field(min_length=1, max_length=200)]

    def specs(self) -> tuple[SectionSpec, ...]:
        return tuple(
            SectionSpec(s.name, tuple(RowSpec(r.label, r.labels(), r.ticket_type) for r in s.rows))
            for s in self.sections
        )


def _currency(value: str) -> str:
    code = value.strip().lower()
    if code not in SUPPORTED_CURRENCIES:
        raise ValueError(
            f"Unsupported currency; use one of {', '.join(sorted(SUPPORTED_CURRENCIES))}"
        )
    return code


class EventIn(CamelModel):
    name: Name
    description: Annotated[str, paragraph(5000)] = ""
    category: Annotated[str, trimmed(50)]
    venue: VenueIn
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    hold_minutes: Annotated[int, Field(ge=1, le=60)] = 15
    currency: str = "usd"
    ticket_types: Annotated[list[TicketTypeIn], Field(min_length=1, max_length=50)]
    seating: SeatingIn | None = None

    _check_currency = field_validator("currency")(_currency)

    def draft(self) -> ShowDraft:
        return ShowDraft(
            name=self.name,
            description=self.description,
            category=self.category,
            venue=Venue(self.venue.name, self.venue.address),
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            hold_minutes=self.hold_minutes,
            currency=self.currency,
            ticket_types=tuple(
                TicketTypeSpec(
                    t.name,
                    to_minor(t.price),
                    t.quantity,
                    t.max_per_order,
                    int(t.tax_rate * 100),
                    t.tax_included,
                    t.hidden,
                )
                for t in self.ticket_types
            ),
            seating=self.seating.specs() if self.seating else None,
        )


class TicketTypeChangeIn(CamelModel):
    id: str | None = None  # an existing type to change; without it, a new type
    name: Annotated[str, trimmed(100)] | None = None
    price: Price | None = None
    quantity: Annotated[int, Field(ge=0, le=100_000)] | None = None
    max_per_order: MaxPerOrder | None = None
    tax_rate: TaxRate | None = None
    tax_included: bool | None = None
    hidden: bool | None = None


class EventPatchIn(CamelModel):
    name: Name | None = None
    description: Annotated[str, paragraph(5000)] | None = None
    category: Annotated[str, trimmed(50)] | None = None
    venue: VenueIn | None = None
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    hold_minutes: Annotated[int, Field(ge=1, le=60)] | None = None
    ticket_types: Annotated[list[TicketTypeChangeIn], Field(max_length=50)] = []
    seating: SeatingIn | None = None  # the whole new layout
    version: int | None = None  # optional optimistic-concurrency check

    def patch(self) -> ShowPatch:
        return ShowPatch(
            name=self.name,
            description=self.description,
            category=self.category,
            venue=Venue(self.venue.name, self.venue.address) if self.venue else None,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            hold_minutes=self.hold_minutes,
            ticket_types=tuple(
                TicketTypeChange(
                    t.id,
                    t.name,
                    None if t.price is None else to_minor(t.price),
                    t.quantity,
                    t.max_per_order,
                    basis_points(t.tax_rate),
                    t.tax_included,
                    t.hidden,
                )
                for t in self.ticket_types
            ),
            seating=self.seating.specs() if self.seating else None,
        )
