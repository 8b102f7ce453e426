"""JSON of an event's vouchers (camelCase; money in major units, percentages as numbers)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Self

from pydantic import AwareDatetime, Field, model_validator

from orders.domain.vouchers import MAX_REDEMPTIONS, Discount, Voucher, VoucherSpec
from ticketing_common.money import to_major, to_minor
from ticketing_common.schemas import CamelModel

MAX_AMOUNT_MAJOR = 1_000_000
Amount = Annotated[Decimal, Field(ge=0, le=MAX_AMOUNT_MAJOR, decimal_places=2)]
TypeId = Annotated[str, Field(min_length=1, max_length=64)]


class VoucherIn(CamelModel):
    """A code with at most one of percentOff, amountOff (per ticket) or fixedPrice (per
    ticket); without one it must unlock a hidden ticket type."""

    code: Annotated[str, Field(min_length=3, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")]
    percent_off: Annotated[Decimal, Field(gt=0, le=100, decimal_places=2)] | None = None
    amount_off: Annotated[Amount, Field(gt=0)] | None = None
    fixed_price: Amount | None = None
    ticket_type_ids: Annotated[list[TypeId], Field(max_length=50)] = []
    max_redemptions: Annotated[int, Field(ge=1, le=MAX_REDEMPTIONS)]
    valid_from: AwareDatetime | None = None
    valid_until: AwareDatetime | None = None
    unlocks: TypeId | None = None

    @model_validator(mode="after")
    def one_discount(self) -> Self:
        given = [self.percent_off, self.amount_off, self.fixed_price]
        if sum(value is not None for value in given) > 1:
            raise ValueError("Give at most one of percentOff, amountOff or fixedPrice")
        return self

    def discount(self) -> Discount | None:
        if self.percent_off is not None:
            return Discount("percent", int(self.percent_off * 100))
        if self.amount_off is not None:
            return Discount("amount", to_minor(self.amount_off))
        if self.fixed_price is not None:
            return Discount("fixed", to_minor(self.fixed_price))
        return None

    def spec(self) -> VoucherSpec:
        return VoucherSpec(
            code=self.code,
            max_redemptions=self.max_redemptions,
            discount=self.discount(),
            ticket_type_ids=tuple(self.ticket_type_ids),
            unlocks=self.unlocks,
            valid_from=self.valid_from,
            valid_until=self.valid_until,
        )


class VoucherOut(CamelModel):
    id: str
    event_id: str
    code: str
    percent_off: float | None = None
    amount_off: float | None = None
    fixed_price: float | None = None
    ticket_type_ids: list[str]
    unlocks: str | None = None
    max_redemptions: int
    redeemed: int  # held by pending orders or sold
    remaining: int
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    disabled: bool
    created_at: datetime

    @classmethod
    def of(cls, voucher: Voucher) -> VoucherOut:
        discount = voucher.discount
        kind = discount.kind if discount else None
        return cls(
            id=voucher.id,
            event_id=voucher.event_id,
            code=voucher.code,
            percent_off=discount.value / 100 if discount and kind == "percent" else None,
            amount_off=to_major(discount.value) if discount and kind == "amount" else None,
            fixed_price=to_major(discount.value) if discount and kind == "fixed" else None,
            ticket_type_ids=list(voucher.ticket_type_ids),
            unlocks=voucher.unlocks,
            max_redemptions=voucher.max_redemptions,
            redeemed=voucher.redeemed,
            remaining=voucher.remaining,
            valid_from=voucher.valid_from,
            valid_until=voucher.valid_until,
            disabled=voucher.disabled,
            created_at=voucher.created_at,
        )
