"""Every service's API against its own OpenAPI document, with generated input (schemathesis):
no request, valid or not, gets a 5xx, and every answer is one the document states.

Each run is bounded (a few examples an operation, a fixed seed): seconds per service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI

from auth.config import AuthSettings
from auth.main import create_app as create_auth
from expiration.config import ExpirationSettings
from expiration.main import create_app as create_expiration
from orders.config import OrdersSettings
from orders.main import create_app as create_orders
from payments.config import PaymentsSettings
from payments.main import create_app as create_payments
from ticketing_common.auth import SessionUser, issue_token
from ticketing_common.config import BaseServiceSettings
from ticketing_common.testing.api_contract import ContractRun, check_app_contract
from ticketing_common.testing.endpoints import Endpoints
from tickets.config import TicketsSettings
from tickets.main import create_app as create_tickets

pytestmark = pytest.mark.asyncio(loop_scope="session")

Build = Callable[[dict[str, Any], Endpoints], tuple[FastAPI, BaseServiceSettings]]


def _auth(base: dict[str, Any], _: Endpoints) -> tuple[FastAPI, BaseServiceSettings]:
    settings = AuthSettings(**base)
    return create_auth(settings), settings


def _tickets(base: dict[str, Any], _: Endpoints) -> tuple[FastAPI, BaseServiceSettings]:
    settings = TicketsSettings(**base)
    return create_tickets(settings), settings


def _orders(base: dict[str, Any], _: Endpoints) -> tuple[FastAPI, BaseServiceSettings]:
    secret = "contract-test-ticket-key-secret-0123456789"
    settings = OrdersSettings(**base, service_name="orders-contract", ticket_key_secret=secret)
    return create_orders(settings), settings


def _payments(base: dict[str, Any], servers: Endpoints) -> tuple[FastAPI, BaseServiceSettings]:
    settings = PaymentsSettings(
        **base, stripe_secret_key="sk_test_contract", stripe_api_base=servers.stripe_url
    )
    return create_payments(settings), settings


def _expiration(base: dict[str, Any], _: Endpoints) -> tuple[FastAPI, BaseServiceSettings]:
    settings = ExpirationSettings(**base)
    return create_expiration(settings), settings


SERVICES: dict[str, tuple[Build, frozenset[str]]] = {
    "auth": (_auth, frozenset()),
    "tickets": (_tickets, frozenset()),
    # The availability stream answers until the client leaves: not a request-response.
    "orders": (_orders, frozenset({"GET /api/availability/{event_id}/stream"})),
    "payments": (_payments, frozenset()),
    "expiration": (_expiration, frozenset()),
}


@pytest.mark.parametrize("service", sorted(SERVICES))
async def test_the_api_answers_as_its_document_says_and_never_5xx(
    service: str,
    service_settings: dict[str, Any],
    embedded_servers: Endpoints,
    clean_stream: object,
) -> None:
    build, skip = SERVICES[service]
    app, settings = build(service_settings, embedded_servers)
    token = issue_token(SessionUser(id="64a0000000000000000000f1", email="fuzz@x.test"), settings)
    run = ContractRun(headers={"Cookie": f"{settings.cookie_name}={token}"}, skip=skip)
    failures = await check_app_contract(app, run)
    assert not failures, "\n\n".join(failures)
