"""Recovering units a crash left claimed: the rules of the recovery sweep.

A hold claims units first (each claim records `claimedAt`, the request's `now`) and
records its order after. A process that dies in between leaves claims nobody owns; one
that dies between cancelling an order and releasing it leaves a cancelled order holding
units. Either would keep the units from buyers until the hold expires (15 minutes).

Every orders replica sweeps (orders.handlers.recovery): a claim older than the grace
whose order does not exist is fenced — a tombstone with the order's id takes the id, so
the hold, if it is merely slow, can no longer record its order — and only then released;
claims of cancelled (or fenced) orders are released, as are those of orders cancelled
in the window. Releases are idempotent and only touch the order's own claims, so
replicas sweeping at once are safe.

Windows: the first pass looks at every live claim made up to `now - grace`; each next
one at `(previous until - sweep, now - grace]`. A claim made at `c` is in the window of
the first pass at or after `c + grace` (at most one sweep later), and, since windows
overlap by one sweep, again in the next: a claim whose write landed late is still seen.
So an abandoned claim is free again within grace + 2 * sweep (20 s by default).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

# The status of a fence: a tombstone in the orders collection in place of an order.
ABANDONED = "abandoned"
# Orders whose claims are released wherever they are found.
RELEASABLE = frozenset({ABANDONED, "cancelled"})
# The lower bound of "every live claim" (a first pass).
EVERY_CLAIM = datetime(1970, 1, 1, tzinfo=UTC)


class Claim(NamedTuple):
    """Units an order holds in one place: a counter shard, or one seat or listing unit."""

    order_id: str
    place: str
    n: int
    event_id: str | None


@dataclass
class Holding:
    """What one order holds among the claims a sweep found."""

    shards: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    events: set[str] = field(default_factory=set)
    count: int = 0


def by_order(on_shards: Iterable[Claim], on_units: Iterable[Claim]) -> dict[str, Holding]:
    holdings: dict[str, Holding] = {}
    for claims, places in ((on_shards, "shards"), (on_units, "units")):
        for claim in claims:
            holding = holdings.setdefault(claim.order_id, Holding())
            getattr(holding, places).append(claim.place)
            holding.count += claim.n
            if claim.event_id is not None:
                holding.events.add(claim.event_id)
    return holdings


def claimed_within(entry_claimed_at: datetime | None, since: datetime, until: datetime) -> bool:
    return entry_claimed_at is not None and since < entry_claimed_at <= until


@dataclass
class SweepWindows:
    """The windows one replica's sweeps look at, one after the other."""

    grace: timedelta
    sweep: timedelta
    # None until the first pass is done: that pass looks at every live claim.
    since: datetime | None = None

    def until(self, now: datetime) -> datetime:
        return now - self.grace

    def advance(self, until: datetime) -> None:
        """A pass up to `until` is done: the next starts one sweep before it."""
        self.since = until - self.sweep
