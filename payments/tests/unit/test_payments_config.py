"""Settings of the payments service: the webhook secret a Stripe key needs."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from payments.config import DEV_WEBHOOK_SECRET, PaymentsSettings


def test_a_live_key_requires_a_webhook_secret() -> None:
    with pytest.raises(ValidationError, match="STRIPE_WEBHOOK_SECRET"):
        PaymentsSettings(jwt_key="k" * 32, stripe_secret_key="sk_live_abc")


def test_a_test_key_gets_the_development_webhook_secret() -> None:
    settings = PaymentsSettings(jwt_key="k" * 32, stripe_secret_key="sk_test_abc")
    assert settings.webhook_secret == DEV_WEBHOOK_SECRET
