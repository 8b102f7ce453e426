"""Every route of every app runs on its event loop: no endpoint or dependency is a plain
function. FastAPI runs a plain function in a worker thread, and each such hop (a
thread hand-off, then a wake-up of the loop) showed up under a flash sale as thread
signalling in the profile of orders; a cheap lookup (the session cookie, the wiring)
must not pay it. Blocking work stays off the loop by awaiting, not by a plain `def`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from auth.config import AuthSettings
from auth.main import create_app as create_auth
from client.config import ClientSettings
from client.main import create_app as create_client
from expiration.config import ExpirationSettings
from expiration.main import create_app as create_expiration
from notifications.config import NotificationsSettings
from notifications.main import create_app as create_notifications
from orders.config import OrdersSettings
from orders.main import create_app as create_orders
from payments.config import PaymentsSettings
from payments.main import create_app as create_payments
from tickets.config import TicketsSettings
from tickets.main import create_app as create_tickets

BASE: dict[str, Any] = {"jwt_key": "no-thread-hops-test-key-0123456789abcdef"}

APPS: dict[str, Callable[[], FastAPI]] = {
    "auth": lambda: create_auth(AuthSettings(**BASE)),
    "tickets": lambda: create_tickets(TicketsSettings(**BASE)),
    "orders": lambda: create_orders(
        OrdersSettings(**BASE, ticket_key_secret="no-thread-hops-ticket-key-0123456789")
    ),
    "payments": lambda: create_payments(PaymentsSettings(**BASE, stripe_secret_key="sk_test_x")),
    "expiration": lambda: create_expiration(ExpirationSettings(**BASE)),
    "notifications": lambda: create_notifications(NotificationsSettings(**BASE)),
    "client": lambda: create_client(ClientSettings()),
}


def _routes(container: Any) -> Iterator[APIRoute]:
    for route in container.routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):  # an included router, resolved lazily
            yield from _routes(route.original_router)


def _plain_calls(dependant: Dependant) -> Iterator[str]:
    call = dependant.call
    if call is not None and not (
        inspect.iscoroutinefunction(call) or inspect.isasyncgenfunction(call)
    ):
        yield f"{call.__module__}.{call.__qualname__}"
    for sub in dependant.dependencies:
        yield from _plain_calls(sub)


@pytest.mark.parametrize("service", sorted(APPS))
def test_every_endpoint_and_dependency_is_a_coroutine(service: str) -> None:
    app = APPS[service]()
    routes = list(_routes(app))
    assert routes, "no routes found: the walk no longer sees this app's routers"
    plain = {call for route in routes for call in _plain_calls(route.dependant)}
    assert plain == set()
