"""The request log middleware: the id reaches the handler's logs and the answer, one
access line per request with its status, none for the probes."""

from __future__ import annotations

import logging

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from ticketing_common.logs import RequestLogging, request_id_var


async def _echo(_: Request) -> PlainTextResponse:
    return PlainTextResponse(request_id_var.get() or "", status_code=202)


def _client() -> httpx.AsyncClient:
    app = Starlette(routes=[Route("/echo", _echo), Route("/healthz", _echo)])
    app.add_middleware(RequestLogging)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def test_the_request_id_reaches_the_handler_and_the_answer(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="access")
    async with _client() as client:
        response = await client.get("/echo", headers={"X-Request-Id": "abc-123"})
    assert response.text == "abc-123"
    assert response.headers["X-Request-Id"] == "abc-123"
    [line] = [r for r in caplog.records if r.name == "access"]
    assert (line.method, line.path, line.status) == ("GET", "/echo", 202)  # type: ignore[attr-defined]
    assert request_id_var.get() is None  # reset once the request is over


async def test_a_new_id_when_none_is_given_and_probes_are_not_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="access")
    async with _client() as client:
        first = await client.get("/echo")
        probe = await client.get("/healthz")
    assert len(first.headers["X-Request-Id"]) == 32
    assert probe.headers["X-Request-Id"] != first.headers["X-Request-Id"]
    assert [r.path for r in caplog.records if r.name == "access"] == ["/echo"]  # type: ignore[attr-defined]
