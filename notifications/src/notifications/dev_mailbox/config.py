"""Settings of the dev mailbox process (environment variables only).

It listens where the notifications service sends (`SMTP_HOST`, `SMTP_PORT`) and keeps
messages in the notifications database (`MONGO_URI`, `MONGO_DB`).
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class DevMailboxSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=2525, ge=1, le=65535)
    mongo_uri: str = "mongodb://127.0.0.1:27017/?directConnection=true"
    mongo_db: str = "notifications"
    # A dev server: refuse messages past this size (the tickets' PDF is a few KB a page).
    max_message_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
