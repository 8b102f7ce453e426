"""The Mail page (dev only): what the dev mailbox received, newest first.

Shown where `DEV_MAILBOX` is set (`make dev`, compose, the dev cluster), as the
notifications service's dev API is; elsewhere the page is 404 like any unknown path.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from client.config import ClientSettings
from client.gateway import ServiceUnavailable
from client.shapes import page_items, page_total
from client.web import GatewayDep, UserDep, render
from ticketing_common.wiring import settings_of

router = APIRouter(tags=["mail"])

PAGE_SIZE = 20


@router.get("/mail")
async def mail_page(request: Request, gateway: GatewayDep, user: UserDep) -> Response:
    if not settings_of(request, ClientSettings).dev_mailbox:
        raise HTTPException(status_code=404, detail="Not Found")
    raw = request.query_params.get("page", "")
    page = int(raw) if raw.isdigit() and 0 < int(raw) <= 10_000 else 1
    mails = None
    total = 0
    try:
        api = await gateway.get("/api/notifications/mail", request, page=page, pageSize=PAGE_SIZE)
        if api.ok:
            mails = page_items(api.body)
            total = page_total(api.body, api.headers, len(mails))
    except ServiceUnavailable:
        pass  # the template says the mailbox cannot be reached
    return render(
        request,
        "mail.html",
        user,
        mails=mails,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        total=total,
    )
