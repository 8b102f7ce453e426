"""JSON responses of `/api/events` (money in major units, seat ids spelled out)."""

from __future__ import annotations

from pydantic import AwareDatetime

from ticketing_common.events import seat_id
from ticketing_common.money import to_major
from ticketing_common.schemas import CamelModel
from tickets.domain.shows import Show


class VenueOut(CamelModel):
    name: str
    address: str


class TicketTypeOut(CamelModel):
    id: str
    name: str
    price: float
    quantity: int
    max_per_order: int
    tax_rate: float  # a percentage: 19.5
    tax_included: bool
    hidden: bool


class SeatOut(CamelModel):
    id: str
    label: str
    index: int


class RowOut(CamelModel):
    label: str
    ticket_type_id: str
    seats: list[SeatOut]


class SectionOut(CamelModel):
    name: str
    rows: list[RowOut]


class SeatingOut(CamelModel):
    sections: list[SectionOut]


class EventSummaryOut(CamelModel):
    id: str
    organizer_id: str
    name: str
    description: str
    category: str
    venue: VenueOut
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    hold_minutes: int
    currency: str
    status: str
    version: int
    seated: bool
    price_from: float
    ticket_types: list[TicketTypeOut]

    @classmethod
    def fields_of(cls, show: Show, viewer: str | None) -> dict[str, object]:
        """A hidden ticket type (sold with a voucher) is shown to the organizer only."""
        shown = [t for t in show.ticket_types if viewer == show.organizer_id or not t.hidden]
        return {
            "id": show.id,
            "organizer_id": show.organizer_id,
            "name": show.name,
            "description": show.description,
            "category": show.category,
            "venue": VenueOut(name=show.venue.name, address=show.venue.address),
            "starts_at": show.starts_at,
            "ends_at": show.ends_at,
            "hold_minutes": show.hold_minutes,
            "currency": show.currency,
            "status": show.status,
            "version": show.version,
            "seated": show.seated,
            "price_from": to_major(min(t.price for t in shown or show.ticket_types)),
            "ticket_types": [
                TicketTypeOut(
                    id=t.id,
                    name=t.name,
                    price=to_major(t.price),
                    quantity=t.quantity,
                    max_per_order=t.max_per_order,
                    tax_rate=t.tax_rate_bp / 100,
                    tax_included=t.tax_included,
                    hidden=t.hidden,
                )
                for t in shown
            ],
        }

    @classmethod
    def of(cls, show: Show, viewer: str | None = None) -> EventSummaryOut:
        return cls.model_validate(cls.fields_of(show, viewer))


class EventOut(EventSummaryOut):
    seating: SeatingOut | None

    @classmethod
    def of(cls, show: Show, viewer: str | None = None) -> EventOut:
        seating = None
        if show.seated:
            seating = SeatingOut(
                sections=[
                    SectionOut(
                        name=section.name,
                        rows=[
                            RowOut(
                                label=row.label,
                                ticket_type_id=row.ticket_type_id,
                                seats=[
                                    SeatOut(
                                        id=seat_id(section.name, row.label, label),
                                        label=label,
                                        index=i,
                                    )
                                    for i, label in enumerate(row.seat_labels)
                                ],
                            )
                            for row in section.rows
                        ],
                    )
                    for section in show.sections
                ]
            )
        return cls.model_validate({**cls.fields_of(show, viewer), "seating": seating})
