"""The card form's rules: test cards only with a test key, Stripe.js and its policy per setting."""

from __future__ import annotations

import pytest

from client.checkout import TEST_CARDS
from client.config import ClientSettings
from client.payment_form import CardForm, is_test_key


@pytest.mark.parametrize(
    ("key", "test"),
    [
        ("pk_test_51H8abc", True),
        ("sk_test_embedded", True),
        ("pk_live_51H8abc", False),
        ("sk_live_51H8abc", False),
        ("rk_test_51H8abc", False),  # a restricted key is never a publishable test key
        ("pk_test", False),
        ("", False),
        (None, False),
        ("xpk_test_abc", False),
    ],
)
def test_only_stripe_test_keys_are_test_mode(key: str | None, test: bool) -> None:
    assert is_test_key(key) is test


def form(key: str | None, base: str = "https://api.stripe.com") -> CardForm:
    settings = ClientSettings(stripe_api_base=base, stripe_publishable_key=key)
    return CardForm.of(settings)


def test_test_cards_are_offered_and_accepted_only_with_a_test_key() -> None:
    live, test, none = form("pk_live_abc"), form("pk_test_abc"), form(None)
    assert test.test_cards == TEST_CARDS
    assert live.test_cards == ()
    assert none.test_cards == ()
    posted = {"card": "tok_visa"}
    assert test.payment_method(posted) == "tok_visa"
    # With a live key a test card is not a way to pay, whatever the browser posts.
    assert live.payment_method(posted) is None
    assert test.payment_method({"card": "pm_card_made_up"}) is None


def test_what_stripe_js_made_is_used_in_any_mode() -> None:
    for card_form in (form("pk_live_abc"), form("pk_test_abc")):
        assert (
            card_form.payment_method({"paymentMethod": "pm_1Abc", "card": "tok_visa"}) == "pm_1Abc"
        )
        assert card_form.payment_method({"token": "tok_1Abc"}) == "tok_1Abc"
        assert card_form.payment_method({"paymentMethod": ""}) is None


def test_production_loads_stripes_own_script_and_needs_a_key() -> None:
    settings = ClientSettings()
    assert settings.stripe_js_url == "https://js.stripe.com/v3/"
    assert settings.stripe_publishable_key is None
    # The deployment's empty value (infra/k8s/base/config.yaml) is no key either.
    assert ClientSettings(stripe_publishable_key="").stripe_publishable_key is None
    card_form = CardForm.of(settings)
    assert not card_form.enabled
    assert not card_form.test_mode
    policy = form("pk_live_abc").content_security_policy().split("; ")
    assert "script-src 'self' https://js.stripe.com" in policy
    assert "connect-src 'self' https://api.stripe.com" in policy
    assert "frame-src 'self' https://js.stripe.com https://hooks.stripe.com" in policy
    assert "frame-ancestors 'none'" in policy


def test_a_local_fake_serves_the_script_and_gets_a_test_key() -> None:
    settings = ClientSettings(stripe_api_base="http://127.0.0.1:8420/")
    assert settings.stripe_js_url == "http://127.0.0.1:8420/js.stripe.com/v3/"
    assert is_test_key(settings.stripe_publishable_key)
    policy = CardForm.of(settings).content_security_policy().split("; ")
    assert "script-src 'self' http://127.0.0.1:8420" in policy
    assert "connect-src 'self' http://127.0.0.1:8420" in policy
    assert "frame-src 'self' http://127.0.0.1:8420" in policy
    # A key set for the fake is kept as given (a live-looking key shows no test cards).
    kept = ClientSettings(stripe_api_base="http://127.0.0.1:8420", stripe_publishable_key="pk_x")
    assert kept.stripe_publishable_key == "pk_x"
    assert CardForm.of(kept).test_cards == ()
