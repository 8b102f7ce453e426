"""Where the servers a test session uses can be reached."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Endpoints:
    mongo_uri: str
    nats_url: str
    stripe_url: str
