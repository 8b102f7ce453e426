"""The dev mailbox API: what the dev SMTP server received, newest first.

Only with `DEV_MAILBOX` set (`make dev`); otherwise the route answers 404 like any
unknown path, so production shows nothing of it. Dev only, hence no sign-in: every
mail of the dev stack is shown, as a developer's mail catcher does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from notifications.config import NotificationsSettings
from notifications.container import NotificationsContainer
from notifications.store.mailbox import DevMailbox, ReceivedMail
from ticketing_common.domain_errors import NotFound
from ticketing_common.paging import PageDep, add_paging_headers
from ticketing_common.schemas import CamelModel
from ticketing_common.wiring import container_of, settings_of

router = APIRouter(prefix="/api/notifications", tags=["notifications"])


class AttachmentOut(CamelModel):
    filename: str
    content_type: str
    size: int


class MailOut(CamelModel):
    id: str
    sender: str
    to: list[str]
    subject: str
    received_at: datetime
    text: str
    attachments: list[AttachmentOut]

    @classmethod
    def of(cls, mail: ReceivedMail) -> MailOut:
        return cls(
            id=mail.message_id,
            sender=mail.sender,
            to=mail.to,
            subject=mail.subject,
            received_at=mail.received_at,
            text=mail.text,
            attachments=[
                AttachmentOut(filename=a.filename, content_type=a.content_type, size=a.size)
                for a in mail.attachments
            ],
        )


async def dev_mailbox(request: Request) -> DevMailbox:
    if not settings_of(request, NotificationsSettings).dev_mailbox:
        raise NotFound("Not found")
    return container_of(request, NotificationsContainer).mailbox


MailboxDep = Annotated[DevMailbox, Depends(dev_mailbox)]


@router.get("/mail", response_model=list[MailOut], response_model_by_alias=True)
async def list_mail(
    request: Request, response: Response, mailbox: MailboxDep, page: PageDep
) -> list[MailOut]:
    mails, total = await mailbox.newest(page.skip, page.size)
    add_paging_headers(request, response, page, total)
    return [MailOut.of(mail) for mail in mails]
