"""Typed access to what a service wired at start-up: its container and its settings.

A service's `wire` hook returns one container object (its stores, relays, providers);
routes reach it through a dependency built on `container_of`, so a typo is a type
error rather than a `KeyError` at request time.
"""

from __future__ import annotations

from typing import Any, TypeVar

from fastapi import Request

T = TypeVar("T")


def container_of(request: Request, kind: type[T]) -> T:
    """The service's container, checked to be what the route expects."""
    return _checked(getattr(request.app.state, "container", None), kind)


def wired_container(app: Any, kind: type[T]) -> T | None:
    """The app's container once start-up wired it (and it is a `kind`), else None: for
    code that runs before the routes and steps aside until then."""
    container = getattr(app.state, "container", None)
    return container if isinstance(container, kind) else None


def settings_of(request: Request, kind: type[T]) -> T:
    return _checked(getattr(request.app.state, "settings", None), kind)


def _checked(value: object, kind: type[T]) -> T:
    if not isinstance(value, kind):
        raise TypeError(f"expected {kind.__name__} on app.state, found {type(value).__name__}")
    return value
