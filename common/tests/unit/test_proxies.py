"""The client address and scheme come from forwarded headers only via trusted proxies."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from ticketing_common.config import HttpEdgeSettings
from ticketing_common.proxies import came_over_https, client_address, wants_secure_cookie

TRUSTED = HttpEdgeSettings(trusted_proxies="10.0.0.0/8, 127.0.0.1").trusted_proxies


def _request(peer: str, scheme: str = "http", **headers: str) -> Request:
    raw = [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()]
    scope = {
        "type": "http",
        "scheme": scheme,
        "client": (peer, 5000),
        "headers": raw,
        "path": "/",
        "query_string": b"",
        "server": ("t", 80),
    }
    return Request(scope)


def test_trusted_proxies_are_read_from_a_comma_separated_list() -> None:
    assert [str(n) for n in TRUSTED] == ["10.0.0.0/8", "127.0.0.1/32"]
    assert HttpEdgeSettings().trusted_proxies == ()


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("203.0.113.5", "198.51.100.1", "203.0.113.5"),  # not a proxy: its claim is ignored
        ("10.0.0.2", "198.51.100.1", "198.51.100.1"),
        ("10.0.0.2", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # a client's own entry is first
        ("10.0.0.2", "198.51.100.1, 10.0.0.9", "198.51.100.1"),  # a chain of trusted proxies
        ("10.0.0.2", "10.0.0.7, 10.0.0.9", "10.0.0.7"),  # all trusted: the farthest
        ("10.0.0.2", "not-an-address", "10.0.0.2"),  # broken chain: the nearest vouched
        ("10.0.0.2", "", "10.0.0.2"),
    ],
)
def test_the_client_is_the_first_address_no_trusted_proxy_vouches_for(
    peer: str, forwarded: str, client: str
) -> None:
    headers = {"x_forwarded_for": forwarded} if forwarded else {}
    assert client_address(_request(peer, **headers), TRUSTED) == client


def test_https_is_believed_from_the_scheme_or_a_trusted_proxy() -> None:
    assert came_over_https(_request("203.0.113.5", scheme="https"), TRUSTED)
    assert came_over_https(_request("10.0.0.2", x_forwarded_proto="https"), TRUSTED)
    assert not came_over_https(_request("203.0.113.5", x_forwarded_proto="https"), TRUSTED)
    assert not came_over_https(_request("10.0.0.2"), TRUSTED)


def test_an_explicit_cookie_setting_wins_over_what_the_request_says() -> None:
    plain = _request("10.0.0.2")
    tls = _request("10.0.0.2", x_forwarded_proto="https")
    assert wants_secure_cookie(plain, True, TRUSTED)
    assert not wants_secure_cookie(tls, False, TRUSTED)
    assert wants_secure_cookie(tls, None, TRUSTED)
    assert not wants_secure_cookie(plain, None, TRUSTED)
