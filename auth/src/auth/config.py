"""Settings of the auth service (environment variables only)."""

from __future__ import annotations

from pydantic import Field

from ticketing_common.config import BaseServiceSettings


class AuthSettings(BaseServiceSettings):
    service_name: str = "auth"
    signin_max_failures: int = Field(default=5, ge=1)
    signin_window_seconds: int = Field(default=60, ge=1)
