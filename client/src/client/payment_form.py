"""The checkout's card form: Stripe.js collects the card, payments charges it.

The browser never sends card numbers here: Stripe.js (or, in dev and tests,
localstripe's stand-in of it) turns the card into a PaymentMethod or a token, the form
posts that id, and payments creates and confirms the PaymentIntent with it. The test
cards of the drop-down are offered, and accepted, only with a test key.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from client.checkout import TEST_CARDS
from client.config import STRIPE_JS, ClientSettings
from client.security import content_security_policy

TEST_KEY_PREFIXES = ("pk_test_", "sk_test_")
# Frames Stripe's own Elements open (the card fields, 3-D Secure); the stand-in opens none.
_STRIPE_FRAMES = ("https://js.stripe.com", "https://hooks.stripe.com")
# What Stripe.js posts; a test card comes from the drop-down (`card`).
_STRIPE_FIELDS = ("paymentMethod", "token")


def is_test_key(key: str | None) -> bool:
    """Stripe's test-mode keys; a live key, or none, is never test mode."""
    return bool(key) and str(key).startswith(TEST_KEY_PREFIXES)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class CardForm:
    publishable_key: str | None
    script_url: str
    api_base: str

    @classmethod
    def of(cls, settings: ClientSettings) -> CardForm:
        return cls(
            settings.stripe_publishable_key or None,
            settings.stripe_js_url or STRIPE_JS,
            settings.stripe_api_base,
        )

    @property
    def enabled(self) -> bool:
        return self.publishable_key is not None

    @property
    def test_mode(self) -> bool:
        return is_test_key(self.publishable_key)

    @property
    def test_cards(self) -> tuple[tuple[str, str], ...]:
        return TEST_CARDS if self.test_mode else ()

    def content_security_policy(self) -> str:
        """The site's policy plus what Stripe.js loads, calls and frames."""
        script = _origin(self.script_url)
        frames = _STRIPE_FRAMES if self.script_url == STRIPE_JS else (script,)
        extra = {
            "script-src": [script],
            "connect-src": [_origin(self.api_base)],
            "frame-src": list(frames),
        }
        return content_security_policy(extra)

    def payment_method(self, form: dict[str, str]) -> str | None:
        """What the buyer pays with: Stripe.js's id, or a test card in test mode only."""
        for name in _STRIPE_FIELDS:
            if form.get(name):
                return form[name]
        card = form.get("card", "")
        return card if card in dict(self.test_cards) else None
