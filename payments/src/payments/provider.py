"""The payment provider port: what payments needs from Stripe (or, later, PayPal)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol


@dataclass(frozen=True)
class ChargeResult:
    """A charge the provider accepted: settled now, or still processing (a webhook settles it)."""

    provider_ref: str
    status: Literal["succeeded", "processing"]


@dataclass(frozen=True)
class RefundResult:
    refund_id: str
    amount: int


class PaymentProvider(Protocol):
    name: str

    async def charge(
        self,
        *,
        order_id: str,
        amount: int,
        currency: str,
        payment_method: str,
        idempotency_key: str,
    ) -> ChargeResult:
        """Take the money; raises `ChargeDeclined` or `ProviderUnavailable` (payments.failures)."""
        ...

    async def refund(self, *, provider_ref: str, amount: int, idempotency_key: str) -> RefundResult:
        """Give the money of a succeeded charge back; raises `ProviderUnavailable` on a fault."""
        ...
