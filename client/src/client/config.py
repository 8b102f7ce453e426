"""Settings of the web client (environment variables only).

The client never reads the session token itself (it asks /api/users/currentuser),
so unlike the services it needs no JWT key, Mongo or NATS settings. Its edge settings
(`TRUSTED_PROXIES`, `COOKIE_SECURE`, size limits) are those of every HTTP app: the
session cookie it relays from auth is made Secure as `COOKIE_SECURE` says, and the
browser's address it forwards to the API is the one the trusted proxies vouch for.

The card form loads Stripe.js: Stripe's own script when `STRIPE_API_BASE` is Stripe's,
otherwise (dev and tests, where it names localstripe, as for payments) the stand-in that
localstripe serves at `<base>/js.stripe.com/v3/`, with a test publishable key unless
`STRIPE_PUBLISHABLE_KEY` says otherwise.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from ticketing_common.config import HttpEdgeSettings, load_settings

STRIPE_API = "https://api.stripe.com"
STRIPE_JS = "https://js.stripe.com/v3/"
# Only ever used against a local fake (localstripe accepts any `pk_` key).
DEV_PUBLISHABLE_KEY = "pk_test_localstripe"


class ClientSettings(HttpEdgeSettings):
    service_name: str = "client"
    api_base_url: str = "http://127.0.0.1:8080"
    api_timeout_seconds: float = Field(default=10.0, gt=0)
    # The Mail page (the dev mailbox the notifications service sends to); dev only.
    dev_mailbox: bool = False
    stripe_api_base: str = STRIPE_API
    # Unset with Stripe's own API: no card form (the pages say payments are not set up).
    stripe_publishable_key: str | None = None
    stripe_js_url: str | None = None

    @model_validator(mode="after")
    def _stripe_defaults(self) -> ClientSettings:
        base = self.stripe_api_base.rstrip("/")
        if not self.stripe_publishable_key:  # "" (an unset deployment value) is no key
            self.stripe_publishable_key = None
        if self.stripe_js_url is None:
            self.stripe_js_url = STRIPE_JS if base == STRIPE_API else f"{base}/js.stripe.com/v3/"
        if self.stripe_publishable_key is None and base != STRIPE_API:
            self.stripe_publishable_key = DEV_PUBLISHABLE_KEY
        return self


def load_client_settings() -> ClientSettings:
    """Build settings, turning invalid values into one readable error."""
    return load_settings(ClientSettings)
