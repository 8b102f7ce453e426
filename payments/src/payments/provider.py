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

    async def find_charge(
        self, *, idempotency_key: str, provider_ref: str | None
    ) -> ChargeResult | None:
        """What became of a charge made with this key (or this reference).

        None only when the provider is sure no charge was ever created with the key;
        raises `ChargeDeclined` for a charge that failed and `ProviderUnavailable`
        when it cannot tell.
        """
        ...
