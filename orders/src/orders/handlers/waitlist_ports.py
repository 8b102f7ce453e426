"""What the waiting-list use cases need of its store, as a protocol (implemented by
`orders.store.waitlist` and by the unit tests' fake, with the same guarded writes)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from orders.domain.waitlist import WaitlistEntry, WaitlistStatus


class WaitlistRepository(Protocol):
    async def add(self, entry: WaitlistEntry) -> None:
        """Record a new entry; `AlreadyWaiting` if the buyer has an open one for the type."""
        ...

    async def get(self, entry_id: str) -> WaitlistEntry | None: ...

    async def of_user(self, user_id: str, event_id: str | None) -> list[WaitlistEntry]:
        """The buyer's entries (of one event), newest first."""
        ...

    async def position(self, entry: WaitlistEntry) -> int:
        """1 for the first entry waiting in its line, and so on."""
        ...

    async def is_waiting(self, event_id: str, type_id: str) -> bool:
        """Someone waits in the type's line (read fresh: the public holds' gate)."""
        ...

    async def first_waiting(self, event_id: str, type_id: str) -> WaitlistEntry | None: ...

    async def waiting_lines(self) -> list[tuple[str, str]]:
        """(event id, type id) of every line with an entry waiting."""
        ...

    async def mark_offered(self, entry: WaitlistEntry) -> bool:
        """Write the offered `entry` only while it is still waiting → True if written."""
        ...

    async def unoffer(self, entry_id: str, order_id: str) -> bool:
        """Give an entry offered with `order_id` its place back (waiting again)."""
        ...

    async def end_offers(self, ended: dict[str, WaitlistStatus], now: datetime) -> None:
        """End the offered entries of these order ids with the status given; idempotent."""
        ...

    async def leave(self, entry_id: str, user_id: str, now: datetime) -> bool:
        """The buyer leaves while still waiting → False if the entry is not waiting."""
        ...

    async def close_lines(self, event_id: str, type_ids: list[str] | None, now: datetime) -> None:
        """End the waiting entries of an event (of some types) that can no longer be served."""
        ...

    async def offers_before(self, cutoff: datetime) -> list[WaitlistEntry]:
        """Entries offered before `cutoff` and still `offered` (for the sweep)."""
        ...
