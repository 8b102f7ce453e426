"""What the use cases work with: the ports, the clock and the takeover ages.

Built once in `main.wire` from the Mongo adapters and the Stripe provider; the unit
tests build it from in-memory fakes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from payments.ports import OrderReplicas, PaymentStore
from payments.provider import PaymentProvider
from ticketing_common.events import utc_now


@dataclass(frozen=True)
class Payments:
    orders: OrderReplicas
    payments: PaymentStore
    provider: PaymentProvider
    # A refund claim older than this belongs to a worker presumed dead (or a provider down).
    refund_claim_seconds: int = 30
    # A pending attempt older than this was abandoned mid-charge and may be taken over.
    pending_takeover_seconds: int = 120
    clock: Callable[[], datetime] = utc_now

    def refund_claims_before(self, now: datetime) -> datetime:
        """Refund claims made before this are stale."""
        return now - timedelta(seconds=self.refund_claim_seconds)

    def attempts_before(self, now: datetime) -> datetime:
        """Pending attempts last claimed before this are stale."""
        return now - timedelta(seconds=self.pending_takeover_seconds)
