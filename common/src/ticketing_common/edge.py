"""The guards every HTTP app (each service and the web client) puts in front of its routes.

Outermost first: the request log (with a sanitised request id), then the catch-all
that answers an unhandled error without spoiling the connection, then the header and
body size limits.
"""

from __future__ import annotations

from fastapi import FastAPI

from ticketing_common.config import HttpEdgeSettings
from ticketing_common.errors import ContainUnexpectedErrors
from ticketing_common.logs import RequestLogging
from ticketing_common.request_limits import RequestLimits


def install_http_guards(app: FastAPI, settings: HttpEdgeSettings) -> None:
    # Each middleware added wraps the ones added before it.
    app.add_middleware(
        RequestLimits,
        max_body_bytes=settings.max_body_bytes,
        max_header_bytes=settings.max_header_bytes,
    )
    app.add_middleware(ContainUnexpectedErrors)
    app.add_middleware(RequestLogging)
