"""Routes of the payments service: pay (the original API), payment state, Stripe webhooks."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from pydantic import BaseModel, Field, model_validator

from payments.config import PaymentsSettings
from payments.container import PaymentsContainer
from payments.context import Payments
from payments.domain import Payment, PaymentState, payment_state
from payments.handlers import buyers_order_payments, pay_order
from payments.ports import WebhookEvents
from payments.webhook import InvalidWebhook, handle_event, parse_event, verify_signature
from ticketing_common.auth import CurrentUser
from ticketing_common.domain_errors import RuleViolation
from ticketing_common.money import to_major
from ticketing_common.schemas import CamelModel
from ticketing_common.wiring import container_of, settings_of

router = APIRouter(prefix="/api/payments", tags=["payments"])


class PaymentRequest(CamelModel):
    order_id: str = Field(min_length=1, max_length=64)
    # `token` is the original body; `paymentMethod` the PaymentIntents-era name.
    token: str | None = Field(default=None, min_length=1, max_length=255)
    payment_method: str | None = Field(default=None, min_length=1, max_length=255)

    @model_validator(mode="after")
    def _one_method(self) -> PaymentRequest:
        if not self.token and not self.payment_method:
            raise ValueError("token or paymentMethod is required")
        return self

    @property
    def method(self) -> str:
        return self.payment_method or self.token or ""


class PaymentCreatedOut(BaseModel):
    id: str


class PaymentOut(CamelModel):
    id: str
    status: str
    amount: float
    currency: str
    created_at: datetime
    failure_reason: str | None = None
    failure_message: str | None = None
    refund_id: str | None = None


class OrderPaymentsOut(CamelModel):
    order_id: str
    status: PaymentState
    message: str | None = None
    payments: list[PaymentOut]


async def get_payments(request: Request) -> Payments:
    return container_of(request, PaymentsContainer).payments


PaymentsDep = Annotated[Payments, Depends(get_payments)]


async def get_webhook_events(request: Request) -> WebhookEvents:
    return container_of(request, PaymentsContainer).webhook_events


async def get_settings(request: Request) -> PaymentsSettings:
    return settings_of(request, PaymentsSettings)


WebhookEventsDep = Annotated[WebhookEvents, Depends(get_webhook_events)]
SettingsDep = Annotated[PaymentsSettings, Depends(get_settings)]


def _payment_out(payment: Payment) -> PaymentOut:
    return PaymentOut(
        id=payment.id,
        status=payment.status.value,
        amount=to_major(payment.amount),
        currency=payment.currency,
        created_at=payment.created_at,
        failure_reason=payment.failure_reason,
        failure_message=payment.failure_message,
        refund_id=payment.refund_id,
    )


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_payment(
    body: PaymentRequest, user: CurrentUser, ctx: PaymentsDep
) -> PaymentCreatedOut:
    payment = await pay_order(ctx, body.order_id, body.method, user.id)
    return PaymentCreatedOut(id=payment.id)


@router.get("", response_model_by_alias=True)
async def order_payments(
    user: CurrentUser, ctx: PaymentsDep, order_id: Annotated[str, Query(alias="orderId")]
) -> OrderPaymentsOut:
    order, payments = await buyers_order_payments(ctx, order_id, user.id)
    state, message = payment_state(payments, order.cancel_reason)
    return OrderPaymentsOut(
        order_id=order_id,
        status=state,
        message=message,
        payments=[_payment_out(p) for p in payments],
    )


@router.post("/webhook")
async def stripe_webhook(
    request: Request, ctx: PaymentsDep, seen: WebhookEventsDep, settings: SettingsDep
) -> dict[str, bool]:
    payload = await request.body()
    try:
        verify_signature(
            payload,
            request.headers.get("stripe-signature"),
            settings.webhook_secret,
            time.time(),
            settings.webhook_tolerance_seconds,
        )
        event = parse_event(payload)
    except InvalidWebhook as exc:
        raise RuleViolation(str(exc)) from None
    handled = await handle_event(ctx, seen, event)
    return {"received": True, "duplicate": not handled}
