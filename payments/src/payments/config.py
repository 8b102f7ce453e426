"""Settings of the payments service (environment variables only)."""

from __future__ import annotations

from pydantic import Field, SecretStr, model_validator

from ticketing_common.config import BaseServiceSettings

# Only ever used with a test-mode key or a local fake (localstripe): a live key
# without STRIPE_WEBHOOK_SECRET is refused at start-up.
DEV_WEBHOOK_SECRET = "whsec_dev_only_not_for_production"  # noqa: S105 - dev-only default


class PaymentsSettings(BaseServiceSettings):
    service_name: str = "payments"
    stripe_secret_key: SecretStr = Field(min_length=1)
    stripe_api_base: str = "https://api.stripe.com"
    stripe_webhook_secret: SecretStr | None = None
    stripe_timeout_seconds: float = Field(default=20.0, gt=0)
    stripe_max_network_retries: int = Field(default=2, ge=0, le=5)
    webhook_tolerance_seconds: int = Field(default=300, ge=1)
    # A refund claimed by a worker that then died is taken over after this long.
    refund_claim_seconds: int = Field(default=30, ge=1)
    # A charge attempt left pending this long (its worker died mid-charge) may be retried
    # with the same idempotency key; well above the provider timeout times its retries.
    pending_takeover_seconds: int = Field(default=120, ge=1)
    # How often the reconciler looks for abandoned attempts and refunds left undone.
    reconcile_seconds: float = Field(default=30.0, gt=0)

    @model_validator(mode="after")
    def _webhook_secret_for_live_keys(self) -> PaymentsSettings:
        if self.stripe_webhook_secret is None:
            if self.stripe_secret_key.get_secret_value().startswith(("sk_live_", "rk_live_")):
                raise ValueError("STRIPE_WEBHOOK_SECRET is required with a live Stripe key")
            self.stripe_webhook_secret = SecretStr(DEV_WEBHOOK_SECRET)
        return self

    @property
    def webhook_secret(self) -> str:
        assert self.stripe_webhook_secret is not None  # set by the validator
        return self.stripe_webhook_secret.get_secret_value()
