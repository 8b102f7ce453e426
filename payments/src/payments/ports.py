"""What the use cases need from storage, as protocols.

The Mongo adapters in `payments.store` implement them for the service; the in-memory
fakes of the unit tests implement them with the same conditional semantics. The
payment provider's port is `payments.provider.PaymentProvider`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from payments.domain import OrderReplica, Payment
from ticketing_common.events import Event


class PaymentSlotTaken(Exception):
    """Another payment already holds the order's one payment slot."""


class PaymentStore(Protocol):
    async def start_attempt(self, order: OrderReplica, attempt: int, now: datetime) -> Payment:
        """A pending attempt that takes the order's payment slot; raises
        `PaymentSlotTaken` when another payment (pending, succeeded or refunded) holds it."""
        ...

    async def take_over_attempt(
        self, order_id: str, stale_before: datetime, now: datetime
    ) -> Payment | None:
        """Claim the order's pending attempt last touched before `stale_before` (its
        worker died mid-charge); it keeps its number, hence its idempotency key."""
        ...

    async def claim_stale_attempt(
        self, payment_id: str, stale_before: datetime, now: datetime
    ) -> Payment | None:
        """The reconciler's claim on an abandoned attempt (the buyer's retry then waits)."""
        ...

    async def take_over_refund(
        self, payment_id: str, stale_before: datetime, now: datetime
    ) -> Payment | None:
        """Claim a refund whose claim is older than `stale_before` (worker or provider gone)."""
        ...

    async def save(self, payment: Payment, now: datetime, event: Event | None = None) -> bool:
        """Write `payment`'s move into its status, if the stored payment is still in the
        state that move starts from (`domain.TRANSITIONS`), with `event` queued for
        publishing in the same transaction; False when another worker moved it first."""
        ...

    async def set_provider_ref(self, payment_id: str, provider_ref: str) -> None: ...

    async def failed_attempts(self, order_id: str) -> int: ...

    async def for_order(self, order_id: str) -> list[Payment]:
        """The order's payments, newest first."""
        ...

    async def active_for(self, order_id: str) -> Payment | None:
        """The payment holding the order's slot, if any."""
        ...

    async def by_provider_ref(self, provider_ref: str) -> Payment | None: ...

    async def orders_with_payments(self, order_ids: list[str]) -> set[str]: ...

    async def unsettled(self, order_id: str) -> bool:
        """A charge or a refund of the order is still on its way."""
        ...

    async def stale_attempts(self, stale_before: datetime, limit: int) -> list[Payment]:
        """Pending attempts last touched before `stale_before`."""
        ...

    async def refunds_due(self, stale_before: datetime, limit: int) -> list[Payment]:
        """Succeeded payments whose cancellation check is overdue, and stale refund claims."""
        ...

    async def cancel_checked(self, payment_ids: list[str]) -> None:
        """Their orders were seen not cancelled: no cancellation check is due any more."""
        ...


# One order's newer version for the replica: its id, version and fields (as in `apply`).
ReplicaChange = tuple[str, int, dict[str, Any]]


class OrderReplicas(Protocol):
    async def apply(self, order_id: str, version: int, fields: dict[str, Any]) -> bool:
        """Store a newer version of the order (`fields` named as in the stored replica:
        `userId`, `status`, `expiresAt`...); an older or repeated one changes nothing."""
        ...

    async def apply_many(self, changes: list[ReplicaChange]) -> None:
        """`apply` for many orders at once (one write); in order for one order's versions."""
        ...

    async def add_many(self, changes: list[ReplicaChange]) -> None:
        """`apply_many` for orders most likely new to the replica (their `order.created`):
        inserted; one already stored is applied as by `apply`."""
        ...

    async def get(self, order_id: str) -> OrderReplica | None: ...

    async def cancelled_among(self, order_ids: list[str]) -> set[str]: ...


class WebhookEvents(Protocol):
    """Provider events already handled, by their id (the provider may deliver twice)."""

    async def seen(self, event_id: str) -> bool: ...

    async def record(self, event_id: str, event_type: str, now: datetime) -> None: ...
