"""Settings of the web client (environment variables only).

The client never reads the session token itself (it asks /api/users/currentuser),
so unlike the services it needs no JWT key, Mongo or NATS settings.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ClientSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    service_name: str = "client"
    api_base_url: str = "http://127.0.0.1:8080"
    api_timeout_seconds: float = Field(default=10.0, gt=0)
    cookie_name: str = "session"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


def load_client_settings() -> ClientSettings:
    """Build settings, turning invalid values into one readable error."""
    from pydantic import ValidationError

    try:
        return ClientSettings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in exc.errors()
        )
        raise SystemExit(f"Invalid configuration for ClientSettings: {problems}") from None
