"""Stripe behind the `PaymentProvider` port: PaymentIntents created and confirmed at once.

Uses the SDK's async methods over httpx, so no call blocks the event loop. Every
Stripe error is normalized into `ChargeDeclined` / `ProviderUnavailable` here and
nowhere else.
"""

from __future__ import annotations

import logging
from typing import Any

import stripe

from payments.failures import ChargeDeclined, ProviderUnavailable
from payments.provider import ChargeResult, RefundResult

log = logging.getLogger(__name__)

# Stripe's documented test token and test payment method for the same card; localstripe
# only knows the payment method, and the original client sends the token.
_TEST_TOKEN_ALIASES = {"tok_visa": "pm_card_visa"}
# Stripe has no lookup by idempotency key: each PaymentIntent carries its key in metadata.
CHARGE_KEY = "chargeKey"
# A fake without the Search API is scanned through the listing, up to this many pages.
_SCAN_PAGES = 50


class StripeProvider:
    name = "stripe"

    def __init__(
        self, secret_key: str, api_base: str, *, timeout: float = 20.0, max_network_retries: int = 2
    ) -> None:
        self._test_mode = secret_key.startswith("sk_test_")
        self._http = stripe.HTTPXClient(timeout=timeout)
        self._client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": api_base.rstrip("/")},
            http_client=self._http,
            max_network_retries=max_network_retries,
        )

    async def close(self) -> None:
        await self._http.close_async()  # type: ignore[no-untyped-call]

    async def charge(
        self,
        *,
        order_id: str,
        amount: int,
        currency: str,
        payment_method: str,
        idempotency_key: str,
    ) -> ChargeResult:
        try:
            # Plain dict: the SDK's TypedDict has no room for the method/customer pair.
            request: Any = {
                "amount": amount,
                "currency": currency,
                "confirm": True,
                "payment_method_types": ["card"],
                "metadata": {"orderId": order_id, CHARGE_KEY: idempotency_key},
                **await self._payment_params(payment_method, idempotency_key),
            }
            intent = await self._client.v1.payment_intents.create_async(
                request, {"idempotency_key": idempotency_key}
            )
        except stripe.StripeError as exc:
            raise _normalized(exc) from exc
        return _charge_result(intent)

    async def refund(self, *, provider_ref: str, amount: int, idempotency_key: str) -> RefundResult:
        try:
            refund = await self._client.v1.refunds.create_async(
                {"payment_intent": provider_ref, "amount": amount},
                {"idempotency_key": idempotency_key},
            )
        except stripe.StripeError as exc:
            raise ProviderUnavailable(f"refund failed: {exc}") from exc
        return RefundResult(refund_id=refund.id, amount=refund.amount)

    async def find_charge(
        self, *, idempotency_key: str, provider_ref: str | None
    ) -> ChargeResult | None:
        try:
            if provider_ref is not None:
                intent = await self._client.v1.payment_intents.retrieve_async(provider_ref)
            else:
                found = await self._intent_by_key(idempotency_key)
                if found is None:
                    return None
                intent = found
        except stripe.StripeError as exc:
            # Even a 404 on a stored reference: the charge existed, so "unknown", never "none".
            raise ProviderUnavailable(f"charge lookup failed: {exc}") from exc
        return _charge_result(intent)

    async def _intent_by_key(self, idempotency_key: str) -> stripe.PaymentIntent | None:
        # Search lags writes by up to a minute; callers look only at attempts far older.
        query = f"metadata['{CHARGE_KEY}']:'{idempotency_key}'"
        try:
            found = await self._client.v1.payment_intents.search_async({"query": query})
        except stripe.InvalidRequestError as exc:
            if not (self._test_mode and exc.http_status == 404):
                raise
            return await self._scan_for_key(idempotency_key)  # a fake (localstripe): no search
        return found.data[0] if found.data else None

    async def _scan_for_key(self, idempotency_key: str) -> stripe.PaymentIntent | None:
        params: Any = {"limit": 100}
        for _ in range(_SCAN_PAGES):
            page = await self._client.v1.payment_intents.list_async(params)
            for intent in page.data:
                if intent.metadata.to_dict().get(CHARGE_KEY) == idempotency_key:
                    return intent
            if not page.has_more or not page.data:
                return None
            params["starting_after"] = page.data[-1].id
        raise ProviderUnavailable("too many PaymentIntents to scan for the charge")

    async def _payment_params(self, payment_method: str, idempotency_key: str) -> dict[str, Any]:
        """A payment method id as is; a card token is first saved on a customer.

        PaymentIntents take `pm_`/`card_`/`src_` ids; a token (`tok_`) becomes a
        card of a new customer, which both Stripe and localstripe accept.
        """
        if self._test_mode and payment_method in _TEST_TOKEN_ALIASES:
            return {"payment_method": _TEST_TOKEN_ALIASES[payment_method]}
        if not payment_method.startswith("tok_"):
            return {"payment_method": payment_method}
        customer = await self._client.v1.customers.create_async(
            {"source": payment_method}, {"idempotency_key": f"{idempotency_key}-customer"}
        )
        source = customer.default_source
        card_id = source if isinstance(source, str) else getattr(source, "id", None)
        if not card_id:
            raise ChargeDeclined("invalid_payment_method", message="token has no card")
        return {"payment_method": card_id, "customer": customer.id}


def _charge_result(intent: stripe.PaymentIntent) -> ChargeResult:
    if intent.status == "succeeded":
        return ChargeResult(intent.id, "succeeded")
    if intent.status == "processing":
        return ChargeResult(intent.id, "processing")
    if intent.status == "requires_action":
        # 3-D Secure needs the buyer in a browser; this server-side flow cannot do it.
        raise ChargeDeclined("authentication_required", message="card needs authentication")
    # A field the API left out is missing from the object (AttributeError), not None.
    error = getattr(intent, "last_payment_error", None)
    code = getattr(error, "code", None) or "card_declined"
    decline_code = getattr(error, "decline_code", None)
    raise ChargeDeclined(code, decline_code, getattr(error, "message", None) or intent.status)


def _normalized(exc: stripe.StripeError) -> ChargeDeclined | ProviderUnavailable:
    if isinstance(exc, stripe.CardError):
        decline_code = exc.error.decline_code if exc.error else None
        return ChargeDeclined(exc.code or "card_declined", decline_code, exc.user_message or "")
    if isinstance(exc, stripe.InvalidRequestError) and exc.http_status in (400, 404):
        # An unknown or unusable payment method or token: the buyer's details are wrong.
        code = exc.code or ("resource_missing" if exc.http_status == 404 else "invalid_request")
        if code == "invalid_request":
            log.error("stripe rejected the request", extra={"error": str(exc)})
        return ChargeDeclined(code, None, exc.user_message or "")
    if isinstance(exc, stripe.AuthenticationError | stripe.PermissionError):
        log.error("stripe refused our credentials", extra={"error": str(exc)})
    # Connection errors, 5xx, rate limits: the buyer may simply try again.
    return ProviderUnavailable(str(exc))
