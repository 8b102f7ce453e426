"""Composition root of the expiration service."""

from __future__ import annotations

from fastapi import FastAPI

from expiration.api import router
from expiration.config import ExpirationSettings
from expiration.listeners import OrderCreatedListener
from expiration.store import ExpirationSchedules
from ticketing_common.app import Runtime, create_service_app
from ticketing_common.config import load_settings


async def wire(app: FastAPI, runtime: Runtime) -> ExpirationSchedules:
    schedules = ExpirationSchedules(runtime.js, runtime.publisher)
    runtime.listeners.append(
        OrderCreatedListener(runtime.settings.service_name, runtime.js, runtime.db, schedules)
    )
    return schedules


def create_app(settings: ExpirationSettings | None = None) -> FastAPI:
    settings = settings or load_settings(ExpirationSettings)
    return create_service_app(settings, title="Ticketing expiration", routers=[router], wire=wire)
