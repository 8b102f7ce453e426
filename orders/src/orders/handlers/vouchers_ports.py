"""What the use cases need of the voucher store, as a protocol (implemented by
`orders.store.vouchers` and by the unit tests' fake, with the same guarded writes)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from orders.domain.vouchers import Voucher


class VoucherBook(Protocol):
    async def insert(self, voucher: Voucher) -> None:
        """Store a new voucher; Conflict if the event has one with that code."""
        ...

    async def by_code(self, event_id: str, code: str) -> Voucher | None:
        """The event's voucher with this code, compared case-insensitively."""
        ...

    async def get(self, voucher_id: str) -> Voucher | None: ...

    async def of_event(self, event_id: str, skip: int, limit: int) -> tuple[list[Voucher], int]: ...

    async def disable(self, voucher_id: str) -> None: ...

    async def redeem(self, voucher: Voucher, order_id: str, now: datetime) -> bool:
        """One guarded write: a redemption for the order while fewer than the maximum are
        taken → False if none is left; True (no change) if the order holds one already."""
        ...

    async def give_back(self, voucher_id: str, order_ids: list[str]) -> None:
        """Remove these orders' redemptions; idempotent."""
        ...

    async def redeemed_between(self, since: datetime, until: datetime) -> dict[str, str]:
        """Redemptions made in (since, until]: order id → voucher id."""
        ...

    async def held_by(self, order_ids: list[str]) -> dict[str, str]:
        """Of these orders, those holding a redemption: order id → voucher id."""
        ...
