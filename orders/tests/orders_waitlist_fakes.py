"""An in-memory waiting list (`orders.handlers.waitlist_ports.WaitlistRepository`) with
the store's guarded writes: one open entry per buyer and type, an entry offered only
while waiting, offers ended only while offered."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from orders.domain.waitlist import OPEN, AlreadyWaiting, WaitlistEntry, WaitlistStatus


class FakeWaitlist:
    def __init__(self) -> None:
        self.entries: dict[str, WaitlistEntry] = {}

    def _line(self, event_id: str, type_id: str) -> list[WaitlistEntry]:
        line = [
            e
            for e in self.entries.values()
            if (e.event_id, e.ticket_type_id, e.status) == (event_id, type_id, "waiting")
        ]
        return sorted(line, key=lambda e: (e.joined_at, e.id))

    async def add(self, entry: WaitlistEntry) -> None:
        key = (entry.event_id, entry.ticket_type_id, entry.user_id)
        if any(
            (e.event_id, e.ticket_type_id, e.user_id) == key and e.status in OPEN
            for e in self.entries.values()
        ):
            raise AlreadyWaiting()
        self.entries[entry.id] = entry

    async def get(self, entry_id: str) -> WaitlistEntry | None:
        return self.entries.get(entry_id)

    async def of_user(self, user_id: str, event_id: str | None) -> list[WaitlistEntry]:
        mine = [
            e
            for e in self.entries.values()
            if e.user_id == user_id and event_id in (None, e.event_id)
        ]
        return sorted(mine, key=lambda e: e.joined_at, reverse=True)

    async def position(self, entry: WaitlistEntry) -> int:
        line = self._line(entry.event_id, entry.ticket_type_id)
        return sum(1 for e in line if e.joined_at < entry.joined_at) + 1

    async def is_waiting(self, event_id: str, type_id: str) -> bool:
        return bool(self._line(event_id, type_id))

    async def first_waiting(self, event_id: str, type_id: str) -> WaitlistEntry | None:
        line = self._line(event_id, type_id)
        return line[0] if line else None

    async def waiting_lines(self) -> list[tuple[str, str]]:
        waiting = [e for e in self.entries.values() if e.status == "waiting"]
        return list(dict.fromkeys((e.event_id, e.ticket_type_id) for e in waiting))

    async def mark_offered(self, entry: WaitlistEntry) -> bool:
        stored = self.entries.get(entry.id)
        if stored is None or stored.status != "waiting":
            return False
        self.entries[entry.id] = entry
        return True

    async def unoffer(self, entry_id: str, order_id: str) -> bool:
        stored = self.entries.get(entry_id)
        if stored is None or stored.status != "offered" or stored.order_id != order_id:
            return False
        self.entries[entry_id] = replace(
            stored, status="waiting", order_id=None, offered_at=None, offer_expires_at=None
        )
        return True

    async def end_offers(self, ended: dict[str, WaitlistStatus], now: datetime) -> None:
        for entry in list(self.entries.values()):
            if entry.status == "offered" and entry.order_id in ended:
                self.entries[entry.id] = replace(entry, status=ended[entry.order_id], ended_at=now)

    async def leave(self, entry_id: str, user_id: str, now: datetime) -> bool:
        stored = self.entries.get(entry_id)
        if stored is None or stored.user_id != user_id or stored.status != "waiting":
            return False
        self.entries[entry_id] = replace(stored, status="left", ended_at=now)
        return True

    async def close_lines(self, event_id: str, type_ids: list[str] | None, now: datetime) -> None:
        for entry in list(self.entries.values()):
            of_types = type_ids is None or entry.ticket_type_id in type_ids
            if entry.event_id == event_id and entry.status == "waiting" and of_types:
                self.entries[entry.id] = replace(entry, status="closed", ended_at=now)

    async def offers_before(self, cutoff: datetime) -> list[WaitlistEntry]:
        return [
            e
            for e in self.entries.values()
            if e.status == "offered" and e.offered_at is not None and e.offered_at < cutoff
        ]
