"""Settings of the notifications service (environment variables only).

Production names its SMTP server: `SMTP_HOST`, `SMTP_PORT`, `SMTP_USER`,
`SMTP_PASSWORD`, `SMTP_FROM`, `SMTP_STARTTLS`. `make dev` points them at the dev
mailbox (`python -m notifications.dev_mailbox`) and sets `DEV_MAILBOX`, which also
opens `GET /api/notifications/mail` (404 without it).
"""

from __future__ import annotations

from pydantic import Field, SecretStr

from ticketing_common.config import BaseServiceSettings


class NotificationsSettings(BaseServiceSettings):
    service_name: str = "notifications"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "Ticketing <tickets@ticketing.local>"
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = Field(default=20.0, gt=0)
    # The dev mailbox API (what the client's Mail page lists); never on in production.
    dev_mailbox: bool = False
    # How often the sender looks for due mails when nothing woke it.
    mail_poll_seconds: float = Field(default=2.0, gt=0)
    # A mail claimed by a sender that then died is sent by another after this long; well
    # above the SMTP timeout, so a slow send is never doubled by a second sender.
    mail_claim_seconds: float = Field(default=120.0, gt=0)
    mail_max_attempts: int = Field(default=10, ge=1)
    # How long an order's mail waits for the buyer's address or the show's name to be
    # replicated; after it a mail goes with what is known, or (no address) not at all.
    replica_wait_seconds: float = Field(default=600.0, ge=0)
