"""Who sent a request, and over what: believing forwarded headers only from trusted proxies.

`X-Forwarded-For` is a list anyone can start; each proxy appends the address it got the
request from. Read from the right, every entry added by a trusted proxy is skipped, and
the first address no trusted proxy vouches for is the client. A peer that is not a
trusted proxy is the client itself, whatever headers it sends.
"""

from __future__ import annotations

from collections.abc import Sequence
from ipaddress import IPv4Address, IPv6Address, ip_address

from starlette.requests import HTTPConnection

from ticketing_common.config import Network

IpAddress = IPv4Address | IPv6Address
UNKNOWN = "unknown"


def _parsed(text: str) -> IpAddress | None:
    try:
        return ip_address(text.strip())
    except ValueError:
        return None


def is_trusted(address: str, trusted: Sequence[Network]) -> bool:
    parsed = _parsed(address)
    return parsed is not None and any(parsed in network for network in trusted)


def _peer(request: HTTPConnection) -> str:
    return request.client.host if request.client else UNKNOWN


def client_address(request: HTTPConnection, trusted: Sequence[Network]) -> str:
    """The address of the client, as far as the trusted proxies in front can vouch."""
    nearest = _peer(request)
    if not is_trusted(nearest, trusted):
        return nearest
    forwarded = ",".join(request.headers.getlist("x-forwarded-for")).split(",")
    for entry in reversed([item.strip() for item in forwarded if item.strip()]):
        parsed = _parsed(entry)
        if parsed is None:
            # A trusted proxy never writes this: the chain is broken, so the last
            # address a trusted proxy did vouch for is all that is known.
            return nearest
        if not is_trusted(entry, trusted):
            return str(parsed)
        nearest = str(parsed)
    return nearest


def came_over_https(request: HTTPConnection, trusted: Sequence[Network]) -> bool:
    """Whether the client's own connection used TLS (as a trusted proxy reports it)."""
    if request.url.scheme == "https":
        return True
    if not is_trusted(_peer(request), trusted):
        return False
    proto = request.headers.get("x-forwarded-proto", "")
    return proto.split(",")[0].strip().lower() == "https"


def wants_secure_cookie(
    request: HTTPConnection, setting: bool | None, trusted: Sequence[Network]
) -> bool:
    """`COOKIE_SECURE` when set; unset, Secure exactly when the request came over https."""
    return setting if setting is not None else came_over_https(request, trusted)
