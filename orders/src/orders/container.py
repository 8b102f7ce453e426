"""The orders service's typed container: what `main.wire` builds once and routes reach
through `ticketing_common.wiring.container_of` (see `api/deps.py`).

It holds the adapters and nothing else; it is the `OrdersUnit` the use cases work with
(`handlers/ports.py`), which see only the protocols.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from orders.availability import AvailabilityProjection
from orders.config import OrdersSettings
from orders.domain.holds import HoldTimes
from orders.domain.key_ring import KeyRing
from orders.handlers.group_claims import GroupClaims
from orders.store.catalog_cache import CachedCatalog
from orders.store.claims import ClaimStore
from orders.store.counters import CounterStore
from orders.store.inventory import InventoryStore
from orders.store.orders import OrderStore
from orders.store.replica import ReplicaStore
from orders.store.vouchers import VoucherStore
from orders.store.waitlist import WaitlistStore
from ticketing_common.embedded_outbox import EmbeddedOutboxRelay


@dataclass
class OrdersContainer:
    settings: OrdersSettings
    orders: OrderStore
    catalog: CachedCatalog
    inventory: InventoryStore
    replica: ReplicaStore
    availability: AvailabilityProjection
    relay: EmbeddedOutboxRelay
    claims: ClaimStore
    vouchers: VoucherStore
    waitlist: WaitlistStore
    # One per process: the holds of a type that arrive together share a write.
    group_claims: GroupClaims = field(init=False)

    def __post_init__(self) -> None:
        self.group_claims = GroupClaims(self.inventory.ga)

    @property
    def counters(self) -> CounterStore:
        return self.inventory.ga

    @property
    def hold_times(self) -> HoldTimes:
        return HoldTimes(self.settings.listing_hold_minutes, self.settings.hold_seconds_override)

    @property
    def waitlist_offer_minutes(self) -> float:
        return self.settings.waitlist_offer_minutes

    @property
    def buyer_cap_factor(self) -> int:
        return self.settings.buyer_cap_factor

    @cached_property
    def ticket_keys(self) -> KeyRing:
        return self.settings.key_ring()
