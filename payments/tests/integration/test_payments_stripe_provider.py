"""The Stripe provider against localstripe: a charge looked up by reference or key; closing."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from bson import ObjectId
from payments_testkit import STRIPE_TEST_KEY, payment_method

from payments.config import PaymentsSettings
from payments.failures import ChargeDeclined, ProviderUnavailable
from payments.main import create_app
from payments.provider import ChargeResult
from payments.stripe_provider import StripeProvider
from ticketing_common.testing.endpoints import Endpoints
from ticketing_common.testing.http import free_port, serve

pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest_asyncio.fixture(loop_scope="session")
async def stripe(embedded_servers: Endpoints) -> AsyncIterator[StripeProvider]:
    provider = StripeProvider(STRIPE_TEST_KEY, embedded_servers.stripe_url, max_network_retries=0)
    yield provider
    await provider.close()


async def _charge(stripe: StripeProvider, key: str, method: str = "tok_visa") -> ChargeResult:
    order_id = str(ObjectId())
    return await stripe.charge(
        order_id=order_id, amount=900, currency="usd", payment_method=method, idempotency_key=key
    )


async def test_a_charge_is_found_by_its_key_and_by_its_reference(stripe: StripeProvider) -> None:
    key = f"order-{ObjectId()}-charge-1"
    charged = await _charge(stripe, key)
    by_key = await stripe.find_charge(idempotency_key=key, provider_ref=None)
    by_ref = await stripe.find_charge(idempotency_key="other", provider_ref=charged.provider_ref)
    assert by_key == by_ref == ChargeResult(charged.provider_ref, "succeeded")


async def test_a_key_never_used_finds_nothing(stripe: StripeProvider) -> None:
    key = f"order-{ObjectId()}-charge-1"
    assert await stripe.find_charge(idempotency_key=key, provider_ref=None) is None


async def test_a_declined_charge_is_found_declined(
    stripe: StripeProvider, embedded_servers: Endpoints
) -> None:
    key = f"order-{ObjectId()}-charge-1"
    declining = await payment_method(embedded_servers.stripe_url, "4000000000000341")
    with pytest.raises(ChargeDeclined):
        await _charge(stripe, key, declining)
    with pytest.raises(ChargeDeclined):
        await stripe.find_charge(idempotency_key=key, provider_ref=None)


async def test_an_unreachable_provider_cannot_tell(stripe: StripeProvider) -> None:
    closed = StripeProvider(
        STRIPE_TEST_KEY, f"http://127.0.0.1:{free_port()}", max_network_retries=0
    )
    try:
        for ref in (None, "pi_unknown"):
            with pytest.raises(ProviderUnavailable):
                await closed.find_charge(idempotency_key="k", provider_ref=ref)
    finally:
        await closed.close()
    with pytest.raises(ProviderUnavailable):  # a stored reference the provider denies
        await stripe.find_charge(idempotency_key="k", provider_ref="pi_unknown")


async def test_the_app_closes_its_stripe_client_at_shutdown(
    payments_settings: PaymentsSettings,
) -> None:
    app = create_app(payments_settings)
    async with serve(app):
        provider = app.state.container.payments.provider
        assert isinstance(provider, StripeProvider)
        assert await provider.find_charge(idempotency_key="k", provider_ref=None) is None
    with pytest.raises(ProviderUnavailable) as raised:
        await provider.find_charge(idempotency_key="k", provider_ref=None)
    assert "has been closed" in " ".join(str(e) for e in _causes(raised.value))


def _causes(error: BaseException | None) -> list[BaseException]:
    found = []
    while error is not None:
        found.append(error)
        error = error.__cause__ or error.__context__
    return found
