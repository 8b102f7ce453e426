"""Ticket types of a show: short stable ids, unique names, quantities from a spec or a seat map."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ticketing_common.domain_errors import RuleViolation
from ticketing_common.events import TicketTypeDefinition
from tickets.domain.drafts import TicketTypeSpec
from tickets.domain.seating import Section, count_by_type


@dataclass(frozen=True)
class TicketType:
    id: str
    name: str
    price: int  # minor units
    quantity: int  # for seated shows: the number of seats of this type
    max_per_order: int = 5
    tax_rate_bp: int = 0  # hundredths of a percent: 1950 = 19.5 %
    tax_included: bool = True  # in the price (VAT), or added on top (US sales tax)
    hidden: bool = False  # sold only with a voucher that unlocks it; not on public pages

    def definition(self) -> TicketTypeDefinition:
        """The type as `event.created` / `event.updated` carry it to orders."""
        return TicketTypeDefinition(
            id=self.id,
            name=self.name,
            price=self.price,
            quantity=self.quantity,
            max_per_order=self.max_per_order,
            tax_rate_bp=self.tax_rate_bp,
            tax_included=self.tax_included,
            hidden=self.hidden,
        )


def type_id(number: int) -> str:
    """Ticket type ids are short and stable within a show: t1, t2, ..."""
    return f"t{number}"


def check_type_names(names: list[str], first_index: int, taken: Iterable[str] = ()) -> list[str]:
    """Trimmed names, refusing blanks and duplicates (case-insensitively)."""
    seen = {name.casefold() for name in taken}
    trimmed = []
    for n, name in enumerate(names, first_index):
        clean = name.strip()
        if not clean:
            raise RuleViolation("Ticket type name is required", f"ticketTypes.{n}.name")
        if clean.casefold() in seen:
            raise RuleViolation("Duplicate ticket type name", f"ticketTypes.{n}.name")
        seen.add(clean.casefold())
        trimmed.append(clean)
    return trimmed


def build_type(
    spec: TicketTypeSpec, type_id: str, n: int, sections: tuple[Section, ...], seated: bool
) -> TicketType:
    """The type a spec describes; a seated type counts its seats in `sections`."""
    if seated and spec.hidden:
        raise RuleViolation("A seated ticket type cannot be hidden", f"ticketTypes.{n}.hidden")
    if seated:
        if spec.quantity is not None:
            raise RuleViolation(
                "Seated ticket types take their quantity from the seat map",
                f"ticketTypes.{n}.quantity",
            )
        quantity = count_by_type(sections).get(type_id, 0)
        if quantity == 0:
            raise RuleViolation("No seats use this ticket type", f"ticketTypes.{n}.name")
    elif spec.quantity is None:
        raise RuleViolation("Quantity is required", f"ticketTypes.{n}.quantity")
    else:
        quantity = spec.quantity
    return TicketType(
        type_id,
        spec.name.strip(),
        spec.price,
        quantity,
        spec.max_per_order,
        spec.tax_rate_bp,
        spec.tax_included,
        spec.hidden,
    )
