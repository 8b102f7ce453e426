"""Composition root of the payments service."""

from __future__ import annotations

from fastapi import FastAPI

from payments.api import router
from payments.config import PaymentsSettings
from payments.handlers import Payments
from payments.listeners import (
    OrderCancelledListener,
    OrderCompletedListener,
    OrderCreatedListener,
)
from payments.provider import PaymentProvider
from payments.replica import OrderReplicas
from payments.store import PaymentStore, WebhookEvents
from payments.stripe_provider import StripeProvider
from ticketing_common.app import Runtime, create_service_app
from ticketing_common.config import load_settings


def stripe_provider(settings: PaymentsSettings) -> PaymentProvider:
    return StripeProvider(
        settings.stripe_secret_key.get_secret_value(),
        settings.stripe_api_base,
        timeout=settings.stripe_timeout_seconds,
        max_network_retries=settings.stripe_max_network_retries,
    )


def create_app(
    settings: PaymentsSettings | None = None, provider: PaymentProvider | None = None
) -> FastAPI:
    settings = settings or load_settings(PaymentsSettings)
    chosen = provider or stripe_provider(settings)

    async def wire(app: FastAPI, runtime: Runtime) -> None:
        payments = PaymentStore(runtime.db)
        await payments.ensure_indexes()
        ctx = Payments(
            OrderReplicas(runtime.db),
            payments,
            chosen,
            runtime,
            settings.refund_claim_seconds,
            settings.pending_takeover_seconds,
        )
        runtime.extras["payments"] = ctx
        runtime.extras["webhook_events"] = WebhookEvents(runtime.db)
        name = settings.service_name
        for listener in (OrderCreatedListener, OrderCancelledListener, OrderCompletedListener):
            runtime.listeners.append(listener(name, runtime.js, runtime.db, ctx))

    return create_service_app(settings, title="Ticketing payments", routers=[router], wire=wire)
