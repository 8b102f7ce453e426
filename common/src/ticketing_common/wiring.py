"""Typed access to what a service wired at start-up: its container and its settings.

A service's `wire` hook returns one container object (its stores, relays, providers);
routes reach it through a dependency built on `container_of`, so a typo is a type
error rather than a `KeyError` at request time.
"""

from __future__ import annotations

from typing import TypeVar

from fastapi import Request

T = TypeVar("T")


def container_of(request: Request, kind: type[T]) -> T:
    """The service's container, checked to be what the route expects."""
    return _checked(getattr(request.app.state, "container", None), kind)


def settings_of(request: Request, kind: type[T]) -> T:
    return _checked(getattr(request.app.state, "settings", None), kind)


def _checked(value: object, kind: type[T]) -> T:
    if not isinstance(value, kind):
        raise TypeError(f"expected {kind.__name__} on app.state, found {type(value).__name__}")
    return value
