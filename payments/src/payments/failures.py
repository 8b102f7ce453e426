"""Provider failures normalized, and the buyer-facing reason for each; no I/O.

Providers raise `ChargeDeclined` (with Stripe's vocabulary of codes, the de-facto
standard other providers map onto) or `ProviderUnavailable`; `failure_reason`
turns either into one of the reasons the buyer reads after "Payment failed due to".
"""

from __future__ import annotations

from dataclasses import dataclass

from ticketing_common.events import FailureReason


class PaymentProviderError(Exception):
    """Base of the normalized failures a payment provider raises."""


class ChargeDeclined(PaymentProviderError):
    def __init__(self, code: str, decline_code: str | None = None, message: str = "") -> None:
        super().__init__(message or code)
        self.code = code
        self.decline_code = decline_code
        self.message = message


class ProviderUnavailable(PaymentProviderError):
    """The provider could not be reached, or failed on its side (5xx, processing error)."""


NOT_ENOUGH_MONEY = frozenset(
    {"insufficient_funds", "card_velocity_exceeded", "withdrawal_count_limit_exceeded"}
)
WRONG_CREDENTIALS = frozenset(
    {
        "incorrect_number",
        "invalid_number",
        "incorrect_cvc",
        "invalid_cvc",
        "expired_card",
        "invalid_expiry_month",
        "invalid_expiry_year",
        "invalid_expiry_month_year",
        "incorrect_zip",
        "invalid_payment_method",
        "resource_missing",
        "token_already_used",
    }
)
CONNECTION_FAILURE = frozenset(
    {"processing_error", "try_again_later", "issuer_not_available", "reenter_transaction"}
)

REASON_TEXT: dict[FailureReason, str] = {
    "insufficient_funds": "not enough money",
    "invalid_card": "wrong credentials",
    "connection_failure": "connection failure",
    "declined": "card declined",
}


@dataclass(frozen=True)
class Failure:
    reason: FailureReason

    @property
    def text(self) -> str:
        return REASON_TEXT[self.reason]

    @property
    def message(self) -> str:
        return f"Payment failed due to {self.text}"


def failure_reason(error: PaymentProviderError) -> Failure:
    if isinstance(error, ProviderUnavailable):
        return Failure("connection_failure")
    assert isinstance(error, ChargeDeclined)
    # The decline code is the precise one (code "card_declined", decline "insufficient_funds").
    for code in (error.decline_code, error.code):
        if code in NOT_ENOUGH_MONEY:
            return Failure("insufficient_funds")
        if code in WRONG_CREDENTIALS:
            return Failure("invalid_card")
        if code in CONNECTION_FAILURE:
            return Failure("connection_failure")
    return Failure("declined")
