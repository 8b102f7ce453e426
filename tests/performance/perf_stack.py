"""Where the profiled stack of the performance tests answers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProfiledStack:
    gateway_url: str
    mongo_uri: str
