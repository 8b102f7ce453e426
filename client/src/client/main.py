"""Composition root of the web client: one shared HTTP client to the gateway, pages, health.

The client owns no database and no broker, so it is a plain FastAPI app rather than
`create_service_app`; it reuses the common error shape and JSON logs.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from client.config import ClientSettings, load_client_settings
from client.gateway import Gateway, ServiceUnavailable, create_http_client
from client.pages import (
    account,
    catalog,
    event,
    health,
    listings,
    mail,
    my_tickets,
    orders,
    organizer,
    organizer_cancel,
    organizer_checkin,
    organizer_dashboard,
    vouchers,
    waitlist,
)
from client.security import SecurityHeaders
from client.web import STATIC_DIR, render
from ticketing_common.edge import install_http_guards
from ticketing_common.errors import error_body, install_error_handlers
from ticketing_common.logs import configure_logging

log = logging.getLogger(__name__)


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


async def _unavailable(request: Request, exc: Exception) -> Response:
    if not _wants_html(request):
        return JSONResponse(error_body("Service unavailable, try again shortly"), status_code=503)
    return render(request, "unavailable.html", None, status_code=503)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if not _wants_html(request):
        return JSONResponse(
            error_body(str(exc.detail)), status_code=exc.status_code, headers=exc.headers
        )
    return render(request, "error.html", None, status_code=exc.status_code, message=str(exc.detail))


def create_app(settings: ClientSettings | None = None) -> FastAPI:
    settings = settings or load_client_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.service_name, settings.log_level)
        http = create_http_client(settings.api_base_url, settings.api_timeout_seconds)
        app.state.gateway = Gateway(http, settings.trusted_proxies)
        log.info("client started", extra={"apiBaseUrl": settings.api_base_url})
        try:
            yield
        finally:
            await http.aclose()

    app = FastAPI(title="Ticketing client", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.settings = settings
    install_http_guards(app, settings)
    app.add_middleware(SecurityHeaders)  # outermost: on every answer, errors included
    install_error_handlers(app)
    # Pages answer browsers with HTML; anything else keeps the common JSON error shape.
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(ServiceUnavailable, _unavailable)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (health, account, catalog, event, listings, orders, my_tickets, mail, waitlist):
        app.include_router(module.router)
    for organizer_module in (organizer, organizer_dashboard, organizer_cancel, organizer_checkin):
        app.include_router(organizer_module.router)
    app.include_router(vouchers.router)
    return app
