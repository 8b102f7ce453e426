"""Base settings every service extends; the only place that reads the environment."""

from __future__ import annotations

from typing import Literal, TypeVar

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class BaseServiceSettings(BaseSettings):
    """Connection strings, the JWT key and cookie flags, read from environment variables.

    `JWT_KEY` has no default on purpose: a service started without it fails at once
    with a message naming the variable (`make dev` supplies a development key).
    """

    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    service_name: str = "service"
    mongo_uri: str = "mongodb://127.0.0.1:27017/?directConnection=true"
    mongo_db: str = ""
    nats_url: str = "nats://127.0.0.1:4222"
    # 3 on a clustered JetStream (Kubernetes); 1 on a single server.
    nats_stream_replicas: int = Field(default=1, ge=1, le=5)
    jwt_key: SecretStr = Field(min_length=32)
    jwt_audience: str = "ticketing"
    jwt_ttl_seconds: int = Field(default=8 * 3600, gt=0)
    cookie_name: str = "session"
    cookie_secure: bool = False
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    outbox_poll_seconds: float = Field(default=1.0, gt=0)
    default_page_size: int = Field(default=20, ge=1, le=100)

    @property
    def database_name(self) -> str:
        return self.mongo_db or self.service_name


S = TypeVar("S", bound=BaseServiceSettings)


def load_settings(settings_type: type[S]) -> S:
    """Build settings, turning a missing or invalid secret into one readable error."""
    from pydantic import ValidationError

    try:
        return settings_type()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in exc.errors()
        )
        raise SystemExit(
            f"Invalid configuration for {settings_type.__name__}: {problems}"
        ) from None


def armed_failpoints() -> frozenset[str]:
    """Failpoints named in `TICKETING_FAILPOINTS` (comma-separated); fault tests only."""
    import os

    names = os.environ.get("TICKETING_FAILPOINTS", "")
    return frozenset(name.strip() for name in names.split(",") if name.strip())
