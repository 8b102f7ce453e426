"""In-memory fakes of the payments ports, for fast unit tests of the use cases.

Each fake keeps the conditions of its Mongo adapter: one active payment per order (a
second attempt raises `PaymentSlotTaken`, as the unique index does), a move is written
only while the stored payment is in the state the move starts from, a claim is taken
over only once stale, the replica keeps the newest version. A fake's method never
awaits, so like a single-document write it is atomic among concurrent tasks.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from payments.context import Payments
from payments.domain import ACTIVE_STATUSES, TRANSITIONS, OrderReplica, Payment, PaymentStatus
from payments.failures import PaymentProviderError, ProviderUnavailable
from payments.ports import PaymentSlotTaken
from payments.provider import ChargeResult, RefundResult
from payments.store.replica import replica_of
from ticketing_common.events import Event

START = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


@dataclass
class FakeClock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class _Row:
    """A stored payment with the bookkeeping its Mongo document carries."""

    payment: Payment
    seq: int
    attempted_at: datetime
    refund_claimed_at: datetime | None = None
    cancel_check_at: datetime | None = None


class FakePaymentStore:
    def __init__(self) -> None:
        self.rows: dict[str, _Row] = {}
        self.events: list[Event] = []  # the outbox: each event committed with its move
        self._seq = itertools.count(1)

    async def start_attempt(self, order: OrderReplica, attempt: int, now: datetime) -> Payment:
        if any(r.payment.status in ACTIVE_STATUSES for r in self._of(order.id)):
            raise PaymentSlotTaken(order.id)
        seq = next(self._seq)
        payment = Payment(
            f"pay-{seq}",
            order.id,
            order.user_id,
            PaymentStatus.PENDING,
            order.amount,
            order.currency,
            attempt,
            now,
        )
        self.rows[payment.id] = _Row(payment, seq, attempted_at=now)
        return payment

    async def take_over_attempt(
        self, order_id: str, stale_before: datetime, now: datetime
    ) -> Payment | None:
        pending = [r for r in self._of(order_id) if r.payment.status == PaymentStatus.PENDING]
        return self._renew_attempt(pending[0] if pending else None, stale_before, now)

    async def claim_stale_attempt(
        self, payment_id: str, stale_before: datetime, now: datetime
    ) -> Payment | None:
        return self._renew_attempt(self.rows.get(payment_id), stale_before, now)

    def _renew_attempt(
        self, row: _Row | None, stale_before: datetime, now: datetime
    ) -> Payment | None:
        if row is None or row.payment.status != PaymentStatus.PENDING:
            return None
        if row.attempted_at >= stale_before:
            return None
        row.attempted_at = now
        return row.payment

    async def take_over_refund(
        self, payment_id: str, stale_before: datetime, now: datetime
    ) -> Payment | None:
        row = self.rows.get(payment_id)
        if row is None or row.payment.status != PaymentStatus.REFUNDING:
            return None
        if row.refund_claimed_at is None or row.refund_claimed_at >= stale_before:
            return None
        row.refund_claimed_at = now
        return row.payment

    async def save(self, payment: Payment, now: datetime, event: Event | None = None) -> bool:
        row = self.rows.get(payment.id)
        if row is None or row.payment.status != TRANSITIONS[payment.status]:
            return False
        # Only what the move writes, as the Mongo update does; the rest stays as stored.
        stored = replace(row.payment, status=payment.status)
        if payment.status == PaymentStatus.SUCCEEDED:
            stored = replace(stored, provider_ref=payment.provider_ref)
            row.cancel_check_at = now
        elif payment.status == PaymentStatus.FAILED:
            stored = replace(
                stored,
                failure_reason=payment.failure_reason,
                failure_message=payment.failure_message,
            )
        elif payment.status == PaymentStatus.REFUNDING:
            row.refund_claimed_at, row.cancel_check_at = now, None
        elif payment.status == PaymentStatus.REFUNDED:
            stored = replace(stored, refund_id=payment.refund_id)
        row.payment = stored
        if event is not None:
            self.events.append(event)
        return True

    async def set_provider_ref(self, payment_id: str, provider_ref: str) -> None:
        row = self.rows[payment_id]
        row.payment = replace(row.payment, provider_ref=provider_ref)

    async def failed_attempts(self, order_id: str) -> int:
        return sum(r.payment.status == PaymentStatus.FAILED for r in self._of(order_id))

    async def for_order(self, order_id: str) -> list[Payment]:
        rows = sorted(self._of(order_id), key=lambda r: (r.payment.created_at, r.seq))
        return [r.payment for r in reversed(rows)]

    async def active_for(self, order_id: str) -> Payment | None:
        active = [r for r in self._of(order_id) if r.payment.status in ACTIVE_STATUSES]
        return active[0].payment if active else None

    async def by_provider_ref(self, provider_ref: str) -> Payment | None:
        found = [r for r in self.rows.values() if r.payment.provider_ref == provider_ref]
        return found[0].payment if found else None

    async def orders_with_payments(self, order_ids: list[str]) -> set[str]:
        return {o for o in order_ids if self._of(o)}

    async def unsettled(self, order_id: str) -> bool:
        on_its_way = (PaymentStatus.PENDING, PaymentStatus.REFUNDING)
        return any(r.payment.status in on_its_way for r in self._of(order_id))

    async def stale_attempts(self, stale_before: datetime, limit: int) -> list[Payment]:
        return [
            r.payment
            for r in self.rows.values()
            if r.payment.status == PaymentStatus.PENDING and r.attempted_at < stale_before
        ][:limit]

    async def refunds_due(self, stale_before: datetime, limit: int) -> list[Payment]:
        def due(row: _Row) -> bool:
            if row.payment.status == PaymentStatus.SUCCEEDED:
                return row.cancel_check_at is not None and row.cancel_check_at < stale_before
            claimed = row.refund_claimed_at
            return (
                row.payment.status == PaymentStatus.REFUNDING
                and claimed is not None
                and (claimed < stale_before)
            )

        return [r.payment for r in self.rows.values() if due(r)][:limit]

    async def cancel_checked(self, payment_ids: list[str]) -> None:
        for payment_id in payment_ids:
            self.rows[payment_id].cancel_check_at = None

    def of_type(self, kind: type[Event]) -> list[Any]:
        """The committed events of one kind, in order."""
        return [e for e in self.events if isinstance(e, kind)]

    def _of(self, order_id: str) -> list[_Row]:
        return [r for r in self.rows.values() if r.payment.order_id == order_id]


class FakeOrderReplicas:
    def __init__(self) -> None:
        self.docs: dict[str, dict[str, Any]] = {}

    async def apply(self, order_id: str, version: int, fields: dict[str, Any]) -> bool:
        stored = self.docs.get(order_id)
        if stored is not None and stored["version"] >= version:
            return False
        self.docs[order_id] = {**(stored or {}), **fields, "_id": order_id, "version": version}
        return True

    async def apply_many(self, changes: list[tuple[str, int, dict[str, Any]]]) -> None:
        for order_id, version, fields in changes:
            await self.apply(order_id, version, fields)

    async def add_many(self, changes: list[tuple[str, int, dict[str, Any]]]) -> None:
        await self.apply_many(changes)

    async def get(self, order_id: str) -> OrderReplica | None:
        doc = self.docs.get(order_id)
        return None if doc is None else replica_of(doc)

    async def cancelled_among(self, order_ids: list[str]) -> set[str]:
        return {i for i in order_ids if self.docs.get(i, {}).get("status") == "cancelled"}


class FakeWebhookEvents:
    def __init__(self) -> None:
        self.handled: dict[str, str] = {}

    async def seen(self, event_id: str) -> bool:
        return event_id in self.handled

    async def record(self, event_id: str, event_type: str, now: datetime) -> None:
        self.handled.setdefault(event_id, event_type)


@dataclass
class FakeProvider:
    """A provider keyed like Stripe: a repeated idempotency key repeats the first answer."""

    name: str = "fake"
    decline: PaymentProviderError | None = None  # raised by every charge while set
    refunds_down: bool = False  # every refund raises ProviderUnavailable while set
    charge_gate: asyncio.Event | None = None  # charges wait for it: a charge on its way
    charges: dict[str, ChargeResult] = field(default_factory=dict)
    refunds: dict[str, RefundResult] = field(default_factory=dict)

    async def charge(
        self,
        *,
        order_id: str,
        amount: int,
        currency: str,
        payment_method: str,
        idempotency_key: str,
    ) -> ChargeResult:
        if self.charge_gate is not None:
            await self.charge_gate.wait()
        if self.decline is not None:
            raise self.decline
        result = ChargeResult(f"pi_{len(self.charges) + 1}", "succeeded")
        return self.charges.setdefault(idempotency_key, result)

    async def refund(self, *, provider_ref: str, amount: int, idempotency_key: str) -> RefundResult:
        if self.refunds_down:
            raise ProviderUnavailable("refunds are down")
        result = RefundResult(f"re_{len(self.refunds) + 1}", amount)
        return self.refunds.setdefault(idempotency_key, result)

    async def find_charge(
        self, *, idempotency_key: str, provider_ref: str | None
    ) -> ChargeResult | None:
        return self.charges.get(idempotency_key)


@dataclass
class FakeWorld:
    """The use cases' context on fakes, and ways to put orders into it."""

    clock: FakeClock = field(default_factory=FakeClock)
    provider: FakeProvider = field(default_factory=FakeProvider)
    orders: FakeOrderReplicas = field(default_factory=FakeOrderReplicas)
    payments: FakePaymentStore = field(default_factory=FakePaymentStore)
    webhook_events: FakeWebhookEvents = field(default_factory=FakeWebhookEvents)

    @property
    def ctx(self) -> Payments:
        return Payments(self.orders, self.payments, self.provider, 30, 120, self.clock)

    async def order(self, order_id: str = "o1", user_id: str = "buyer", amount: int = 2050) -> str:
        """An order held for ten minutes, as order.created leaves it in the replica."""
        expires_at = self.clock() + timedelta(minutes=10)
        fields = {"userId": user_id, "amount": amount, "currency": "usd", "status": "created"}
        await self.orders.apply(order_id, 0, {**fields, "expiresAt": expires_at})
        return order_id

    async def cancel(self, order_id: str, version: int = 1) -> None:
        """The replica write of order.cancelled (without its refund)."""
        await self.orders.apply(order_id, version, {"status": "cancelled"})
