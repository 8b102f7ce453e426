"""The payment store's conditions, on the Mongo store (real server) and on the unit tests' fake.

Both run the same scenarios, so the fake the use-case tests rely on keeps what the Mongo
store guarantees: one active payment per order, a move only from its state, a claim
taken over only once stale, an event committed only with its move.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio
from payments_fakes import FakePaymentStore
from payments_testkit import payment_store

from payments.domain import OrderReplica, PaymentStatus
from payments.ports import PaymentSlotTaken, PaymentStore
from ticketing_common.events import Event, PaymentCreated, PaymentFailed, PaymentRefunded
from ticketing_common.mongo import MongoClient

pytestmark = pytest.mark.asyncio(loop_scope="session")

T0 = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
ORDER = OrderReplica("o1", "u1", "created", 2050, "usd", 0)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@dataclass
class Subject:
    store: PaymentStore
    committed: Callable[[Event], Awaitable[bool]]


@pytest_asyncio.fixture(loop_scope="session", params=["mongo", "fake"])
async def subject(
    request: pytest.FixtureRequest, mongo_client: MongoClient, database_name: str
) -> Subject:
    if request.param == "fake":
        fake = FakePaymentStore()

        async def in_fake_outbox(event: Event) -> bool:
            return event in fake.events

        return Subject(fake, in_fake_outbox)
    db = mongo_client[database_name]
    store = payment_store(db)
    await store.ensure_indexes()

    async def in_outbox(event: Event) -> bool:
        return await db["outbox"].find_one({"_id": event.id}) is not None

    return Subject(store, in_outbox)


def created(payment_id: str, provider_ref: str) -> PaymentCreated:
    return PaymentCreated(
        payment_id=payment_id,
        order_id=ORDER.id,
        amount=2050,
        currency="usd",
        provider_ref=provider_ref,
    )


async def test_one_active_payment_per_order(subject: Subject) -> None:
    store = subject.store
    first = await store.start_attempt(ORDER, 1, at(0))
    with pytest.raises(PaymentSlotTaken):
        await store.start_attempt(ORDER, 1, at(0))
    assert await store.save(first.fail("declined", "Payment failed due to card declined"), at(1))
    second = await store.start_attempt(ORDER, 2, at(2))
    with pytest.raises(PaymentSlotTaken):
        await store.start_attempt(ORDER, 3, at(3))
    active = await store.active_for(ORDER.id)
    assert active is not None
    assert active.id == second.id
    assert await store.failed_attempts(ORDER.id) == 1
    assert [p.id for p in await store.for_order(ORDER.id)] == [second.id, first.id]


async def test_a_move_is_written_only_from_its_state_with_its_event(subject: Subject) -> None:
    store = subject.store
    pending = await store.start_attempt(ORDER, 1, at(0))
    success = created(pending.id, "pi_1")
    late_failure = PaymentFailed(order_id=ORDER.id, reason="declined", message="card declined")
    assert await store.save(pending.succeed("pi_1"), at(1), success)
    # Both read the attempt pending; it is succeeded by now.
    assert not await store.save(pending.fail("declined", "card declined"), at(2), late_failure)
    assert not await store.save(pending.succeed("pi_2"), at(2), created(pending.id, "pi_2"))
    stored = await store.by_provider_ref("pi_1")
    assert stored is not None
    assert (stored.id, stored.status, stored.failure_reason) == (
        pending.id,
        PaymentStatus.SUCCEEDED,
        None,
    )
    assert (await subject.committed(success), await subject.committed(late_failure)) == (
        True,
        False,
    )


async def test_an_attempt_is_taken_over_only_once_stale(subject: Subject) -> None:
    store = subject.store
    pending = await store.start_attempt(ORDER, 1, at(0))
    assert await store.take_over_attempt(ORDER.id, at(0), at(1)) is None
    assert await store.claim_stale_attempt(pending.id, at(0), at(1)) is None
    taken = await store.take_over_attempt(ORDER.id, at(1), at(2))
    assert taken is not None
    assert (taken.id, taken.attempt) == (pending.id, 1)
    assert await store.claim_stale_attempt(pending.id, at(1), at(3)) is None  # renewed at 2
    assert [p.id for p in await store.stale_attempts(at(3), 10)] == [pending.id]
    claimed = await store.claim_stale_attempt(pending.id, at(3), at(4))
    assert claimed is not None
    assert await store.stale_attempts(at(4), 10) == []
    assert await store.unsettled(ORDER.id)


async def test_a_refund_is_claimed_once_and_taken_over_only_once_stale(subject: Subject) -> None:
    store = subject.store
    succeeded = (await store.start_attempt(ORDER, 1, at(0))).succeed("pi_1")
    assert await store.save(succeeded, at(1), created(succeeded.id, "pi_1"))
    assert not await store.unsettled(ORDER.id)
    claimed = succeeded.start_refund()
    assert await store.save(claimed, at(10))
    assert not await store.save(claimed, at(10))  # a second worker's claim
    assert await store.unsettled(ORDER.id)
    assert await store.take_over_refund(claimed.id, at(10), at(11)) is None
    taken = await store.take_over_refund(claimed.id, at(11), at(12))
    assert taken is not None
    assert taken.status == PaymentStatus.REFUNDING
    event = PaymentRefunded(
        payment_id=claimed.id, order_id=ORDER.id, refund_id="re_1", amount=2050, currency="usd"
    )
    assert await store.save(claimed.refunded("re_1"), at(13), event)
    stored = await store.active_for(ORDER.id)
    assert stored is not None
    assert (stored.status, stored.refund_id, stored.provider_ref) == (
        PaymentStatus.REFUNDED,
        "re_1",
        "pi_1",
    )
    assert not await store.unsettled(ORDER.id)
    assert await subject.committed(event)


async def test_refunds_due_are_overdue_checks_and_stale_claims(subject: Subject) -> None:
    store = subject.store
    kept = (await store.start_attempt(ORDER, 1, at(0))).succeed("pi_1")
    other = OrderReplica("o2", "u1", "created", 900, "usd", 0)
    refunding = (await store.start_attempt(other, 1, at(0))).succeed("pi_2")
    for payment in (kept, refunding):
        assert await store.save(payment, at(0), created(payment.id, payment.provider_ref or ""))
    assert await store.save(refunding.start_refund(), at(5))

    async def due(stale_before: datetime) -> set[str]:
        return {p.id for p in await store.refunds_due(stale_before, 10)}

    assert await due(at(0)) == set()
    assert await due(at(1)) == {kept.id}  # its cancellation check is overdue
    assert await due(at(6)) == {kept.id, refunding.id}
    await store.cancel_checked([kept.id])
    assert await due(at(6)) == {refunding.id}
