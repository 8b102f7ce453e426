"""Settings of the web client (environment variables only).

The client never reads the session token itself (it asks /api/users/currentuser),
so unlike the services it needs no JWT key, Mongo or NATS settings. Its edge settings
(`TRUSTED_PROXIES`, `COOKIE_SECURE`, size limits) are those of every HTTP app: the
session cookie it relays from auth is made Secure as `COOKIE_SECURE` says, and the
browser's address it forwards to the API is the one the trusted proxies vouch for.
"""

from __future__ import annotations

from pydantic import Field

from ticketing_common.config import HttpEdgeSettings, load_settings


class ClientSettings(HttpEdgeSettings):
    service_name: str = "client"
    api_base_url: str = "http://127.0.0.1:8080"
    api_timeout_seconds: float = Field(default=10.0, gt=0)


def load_client_settings() -> ClientSettings:
    """Build settings, turning invalid values into one readable error."""
    return load_settings(ClientSettings)
