"""An in-memory fake of the voucher store (`orders.handlers.vouchers_ports.VoucherBook`)
with the store's guarded-write semantics: a redemption only while enabled and under the
maximum, once per order; giving back only removes the order's own entry."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from orders.domain.vouchers import Voucher, code_key
from ticketing_common.domain_errors import Conflict


class FakeVouchers:
    def __init__(self) -> None:
        self.stored: dict[str, Voucher] = {}
        self.redemptions: dict[str, dict[str, datetime]] = {}  # voucher -> order -> at

    async def insert(self, voucher: Voucher) -> None:
        key = (voucher.event_id, code_key(voucher.code))
        if any((v.event_id, code_key(v.code)) == key for v in self.stored.values()):
            raise Conflict("This event already has a voucher with that code", "code")
        self.stored[voucher.id] = voucher
        self.redemptions[voucher.id] = {}

    def _current(self, voucher_id: str) -> Voucher:
        voucher = self.stored[voucher_id]
        return replace(voucher, redeemed=len(self.redemptions[voucher_id]))

    async def by_code(self, event_id: str, code: str) -> Voucher | None:
        for voucher in self.stored.values():
            if (voucher.event_id, code_key(voucher.code)) == (event_id, code_key(code)):
                return self._current(voucher.id)
        return None

    async def get(self, voucher_id: str) -> Voucher | None:
        return self._current(voucher_id) if voucher_id in self.stored else None

    async def of_event(self, event_id: str, skip: int, limit: int) -> tuple[list[Voucher], int]:
        mine = sorted(
            (self._current(v.id) for v in self.stored.values() if v.event_id == event_id),
            key=lambda v: code_key(v.code),
        )
        return mine[skip : skip + limit], len(mine)

    async def disable(self, voucher_id: str) -> None:
        self.stored[voucher_id] = replace(self.stored[voucher_id], disabled=True)

    async def redeem(self, voucher: Voucher, order_id: str, now: datetime) -> bool:
        taken = self.redemptions[voucher.id]
        if order_id in taken:
            return True
        if self.stored[voucher.id].disabled or len(taken) >= voucher.max_redemptions:
            return False
        taken[order_id] = now
        return True

    async def give_back(self, voucher_id: str, order_ids: list[str]) -> None:
        for order_id in order_ids:
            self.redemptions[voucher_id].pop(order_id, None)

    async def redeemed_between(self, since: datetime, until: datetime) -> dict[str, str]:
        return {
            order_id: voucher_id
            for voucher_id, taken in self.redemptions.items()
            for order_id, at in taken.items()
            if since < at <= until
        }

    async def held_by(self, order_ids: list[str]) -> dict[str, str]:
        return {
            order_id: voucher_id
            for voucher_id, taken in self.redemptions.items()
            for order_id in taken
            if order_id in order_ids
        }
