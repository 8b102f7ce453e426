"""The Mail page lists the dev mailbox, and exists only where DEV_MAILBOX is set."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.responses import JSONResponse

from client.config import ClientSettings
from client.main import create_app
from ticketing_common.testing.http import serve

MAIL = {
    "id": "<tickets.e1@box.test>",
    "sender": "Ticketing <tickets@box.test>",
    "to": ["ada@example.com"],
    "subject": "Your tickets for <b>Gala</b>",
    "receivedAt": "2031-05-01T19:30:00Z",
    "text": "Hello,\n\n  1. Stalls (ticket t1)\n",
    "attachments": [{"filename": "tickets-o1.pdf", "contentType": "application/pdf", "size": 9}],
}


def _fake_api(seen: list[dict[str, Any]]) -> FastAPI:
    api = FastAPI()

    @api.get("/api/notifications/mail")
    async def mail(page: int = 1, pageSize: int = 20) -> JSONResponse:  # noqa: N803
        seen.append({"page": page, "pageSize": pageSize})
        return JSONResponse([MAIL], headers={"X-Total-Count": "1"})

    return api


async def _get(dev_mailbox: bool, path: str) -> tuple[httpx.Response, list[dict[str, Any]]]:
    seen: list[dict[str, Any]] = []
    async with serve(_fake_api(seen)) as api_url:
        settings = ClientSettings(api_base_url=api_url, dev_mailbox=dev_mailbox)
        async with serve(create_app(settings)) as url, httpx.AsyncClient(base_url=url) as http:
            response = await http.get(path, headers={"accept": "text/html"})
    return response, seen


async def test_the_mail_page_lists_subject_recipient_body_and_attachments() -> None:
    response, seen = await _get(True, "/mail?page=1")
    assert response.status_code == 200
    html = response.text
    assert "Your tickets for &lt;b&gt;Gala&lt;/b&gt;" in html  # escaped, like all content
    assert "ada@example.com" in html
    assert "1. Stalls (ticket t1)" in html
    assert "tickets-o1.pdf" in html
    assert "Thu 1 May 2031, 19:30 UTC" in html
    assert '<a href="/mail">Mail</a>' in html
    assert seen == [{"page": 1, "pageSize": 20}]


async def test_without_the_dev_setting_there_is_no_mail_page_or_link() -> None:
    response, seen = await _get(False, "/mail")
    assert response.status_code == 404
    assert seen == []
    home, _ = await _get(False, "/signin")
    assert 'href="/mail"' not in home.text
