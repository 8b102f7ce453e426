"""The web app's own defences: security headers on every answer, a relayed session cookie
that is Secure where TLS is served, the browser's address passed on to the API, and
size limits answered like every other error."""

from __future__ import annotations

import pytest

from client.security import SECURITY_HEADERS

pytestmark = pytest.mark.asyncio(loop_scope="session")
CREDENTIALS = {"email": "ann@example.com", "password": "password123"}


@pytest.mark.parametrize("path", ["/", "/signin", "/events/e-ga", "/no-such-page", "/healthz"])
async def test_every_answer_carries_the_security_headers(site, path: str) -> None:
    async with site.browser() as browser:
        response = await browser.get(path)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"


def _is_secure(set_cookie: str) -> bool:
    return any(part.strip().lower() == "secure" for part in set_cookie.split(";")[1:])


@pytest.mark.parametrize(
    ("settings", "headers", "secure"),
    [
        ({}, {}, False),
        ({"cookie_secure": True}, {}, True),
        ({"trusted_proxies": "127.0.0.1"}, {"X-Forwarded-Proto": "https"}, True),
        ({}, {"X-Forwarded-Proto": "https"}, False),  # said by a peer nobody trusts
        ({"cookie_secure": False}, {"X-Forwarded-Proto": "https"}, False),
    ],
)
async def test_the_relayed_session_cookie_is_secure_where_tls_is_served(
    site_with, settings: dict[str, object], headers: dict[str, str], secure: bool
) -> None:
    async with site_with(**settings) as site, site.browser() as browser:
        signed_in = await browser.post("/signin", data=CREDENTIALS, headers=headers)
        signed_out = await browser.post("/signout", headers=headers)
    assert _is_secure(signed_in.headers["set-cookie"]) is secure
    assert _is_secure(signed_out.headers["set-cookie"]) is secure
    assert "httponly" in signed_in.headers["set-cookie"].lower()


async def test_the_api_learns_the_browsers_address_as_the_trusted_proxy_says(site_with) -> None:
    async with site_with(trusted_proxies="127.0.0.1") as site, site.browser() as browser:
        await browser.post(
            "/signin",
            data=CREDENTIALS,
            headers={"X-Forwarded-For": "198.51.100.4, 203.0.113.7", "X-Forwarded-Proto": "https"},
        )
    sent = site.state.headers[-1]
    assert sent["x-forwarded-for"] == "203.0.113.7"
    assert sent["x-forwarded-proto"] == "https"


async def test_an_untrusted_peer_cannot_choose_the_address_the_api_sees(site) -> None:
    async with site.browser() as browser:
        await browser.post("/signin", data=CREDENTIALS, headers={"X-Forwarded-For": "6.6.6.6"})
    assert site.state.headers[-1]["x-forwarded-for"] == "127.0.0.1"


async def test_an_oversized_form_is_a_413_in_the_error_shape(site) -> None:
    async with site.browser() as browser:
        response = await browser.post(
            "/signin", data={"email": "x" * 100_000, "password": "p"}, headers={"accept": "*/*"}
        )
    assert response.status_code == 413
    assert response.json() == {"errors": [{"message": "Request body too large"}]}
    assert response.headers["x-frame-options"] == "DENY"
