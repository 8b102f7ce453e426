"""Base settings every service extends; the only place that reads the environment."""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network, ip_network
from typing import Annotated, Literal, TypeVar

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

Network = IPv4Network | IPv6Network


class HttpEdgeSettings(BaseSettings):
    """What every HTTP app (services and the web client) needs at its edge.

    `TRUSTED_PROXIES`: the peers whose `X-Forwarded-For` / `X-Forwarded-Proto` are
    believed (the gateway, the web client calling the API), as addresses or CIDR ranges,
    comma-separated; empty (the default) believes no forwarded header. uvicorn has a list
    of its own (`FORWARDED_ALLOW_IPS`, loopback unless set) and rewrites the peer before
    the app sees it: the two compose, but a caller on the same host can then forge its
    address unless uvicorn runs with `--no-proxy-headers` (or an empty list).
    `COOKIE_SECURE`: `true` wherever the deployment serves TLS; unset, a cookie is
    Secure when the request came over https (directly or as a trusted proxy says);
    `false` only for plain-http development.
    """

    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    trusted_proxies: Annotated[tuple[Network, ...], NoDecode] = ()
    cookie_secure: bool | None = None
    cookie_name: str = "session"
    # The largest request body a route of this app legitimately takes; more is 413.
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    # All header lines together. Kept under uvicorn's own 16 KiB cap on the request head
    # (which answers in plain text), so a too-large head is answered in the error shape.
    max_header_bytes: int = Field(default=12 * 1024, ge=1024)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            items = [item.strip() for item in value.split(",") if item.strip()]
            return tuple(ip_network(item, strict=False) for item in items)
        return value


class BaseServiceSettings(HttpEdgeSettings):
    """Connection strings, the JWT key and cookie flags, read from environment variables.

    `JWT_KEY` has no default on purpose: a service started without it fails at once
    with a message naming the variable (`make dev` supplies a development key).
    """

    service_name: str = "service"
    mongo_uri: str = "mongodb://127.0.0.1:27017/?directConnection=true"
    mongo_db: str = ""
    nats_url: str = "nats://127.0.0.1:4222"
    # 3 on a clustered JetStream (Kubernetes); 1 on a single server.
    nats_stream_replicas: int = Field(default=1, ge=1, le=5)
    jwt_key: SecretStr = Field(min_length=32)
    jwt_audience: str = "ticketing"
    jwt_ttl_seconds: int = Field(default=8 * 3600, gt=0)
    outbox_poll_seconds: float = Field(default=1.0, gt=0)
    default_page_size: int = Field(default=20, ge=1, le=100)

    @property
    def database_name(self) -> str:
        return self.mongo_db or self.service_name


S = TypeVar("S", bound=HttpEdgeSettings)


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


class StreamLimits(BaseSettings):
    """How much the one stream keeps: `NATS_STREAM_MAX_AGE_SECONDS`, `NATS_STREAM_MAX_BYTES`.

    The stream keeps by limits (it must: sign-outs are read back one token lifetime, new
    durables start from history, scheduled expiries wait in it), and a limits stream
    drops a message at its age or size limit whether or not every consumer has read it.
    So the age is set far beyond anything that must still be read: a consumer stopped
    for up to ~6 days, the 8 h session lifetime (revocations), a 60 min hold (its
    scheduled expiry). The size is a ceiling no planned week reaches (~2.2 KB of events
    per purchase, measured: 1 GiB holds some 450,000 purchases), below what each server
    may store (JetStream reserves it on every replica up front, and refuses a stream
    larger than the server's `max_file_store`). Grow both together with traffic; the
    figures and reasoning are in infra/README.md ("Stream limits").
    """

    model_config = SettingsConfigDict(env_file=None, env_prefix="NATS_STREAM_", extra="ignore")

    max_age_seconds: float = Field(default=7 * 24 * 3600, ge=8 * 3600)
    max_bytes: int = Field(default=1024**3, ge=64 * 1024**2)
