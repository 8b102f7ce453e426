"""Composition root of the payments service."""

from __future__ import annotations

from fastapi import FastAPI

from payments.api import router
from payments.config import PaymentsSettings
from payments.container import PaymentsContainer
from payments.context import Payments
from payments.listeners import (
    OrderCancelledListener,
    OrderCompletedListener,
    OrderCreatedListener,
)
from payments.provider import PaymentProvider
from payments.reconciler import Reconciler
from payments.store.payments import MongoPaymentStore
from payments.store.replica import MongoOrderReplicas
from payments.store.webhook_events import MongoWebhookEvents
from payments.stripe_provider import StripeProvider
from ticketing_common.app import Runtime, create_service_app
from ticketing_common.config import load_settings


def stripe_provider(settings: PaymentsSettings) -> StripeProvider:
    return StripeProvider(
        settings.stripe_secret_key.get_secret_value(),
        settings.stripe_api_base,
        timeout=settings.stripe_timeout_seconds,
        max_network_retries=settings.stripe_max_network_retries,
    )


def create_app(
    settings: PaymentsSettings | None = None, provider: PaymentProvider | None = None
) -> FastAPI:
    """The payments app; a given `provider` stays the caller's to close."""
    settings = settings or load_settings(PaymentsSettings)

    async def wire(app: FastAPI, runtime: Runtime) -> PaymentsContainer:
        chosen = provider
        if chosen is None:
            # Built at start-up and closed at shutdown: its HTTP client lives with the app.
            own = stripe_provider(settings)
            runtime.on_shutdown.append(own.close)
            chosen = own
        payments = MongoPaymentStore(runtime.db, runtime.outbox, runtime.relay.wake)
        await payments.ensure_indexes()
        ctx = Payments(
            MongoOrderReplicas(runtime.db),
            payments,
            chosen,
            settings.refund_claim_seconds,
            settings.pending_takeover_seconds,
        )
        name = settings.service_name
        for listener in (OrderCreatedListener, OrderCancelledListener, OrderCompletedListener):
            runtime.listeners.append(listener(name, runtime.js, runtime.db, ctx))
        reconciler = Reconciler(ctx, settings.reconcile_seconds)
        reconciler.start()
        # Shutdown hooks run last added first: the reconciler stops before the provider closes.
        runtime.on_shutdown.append(reconciler.stop)
        return PaymentsContainer(ctx, MongoWebhookEvents(runtime.db))

    return create_service_app(settings, title="Ticketing payments", routers=[router], wire=wire)
