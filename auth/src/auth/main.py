"""Composition root of the auth service."""

from __future__ import annotations

from fastapi import FastAPI

from auth.api import router
from auth.config import AuthSettings
from auth.store import UserStore
from ticketing_common.app import Runtime, create_service_app
from ticketing_common.config import load_settings


async def wire(app: FastAPI, runtime: Runtime) -> UserStore:
    store = UserStore(runtime)
    await store.ensure_indexes()
    return store


def create_app(settings: AuthSettings | None = None) -> FastAPI:
    settings = settings or load_settings(AuthSettings)
    return create_service_app(settings, title="Ticketing auth", routers=[router], wire=wire)
