"""Settings of the tickets service (environment variables only)."""

from __future__ import annotations

from ticketing_common.config import BaseServiceSettings


class TicketsSettings(BaseServiceSettings):
    service_name: str = "tickets"
    # Answer searches from each replica's in-memory projection (SecantusDB scans whole
    # collections for these queries); False runs them as indexed Mongo queries.
    search_in_memory: bool = True
