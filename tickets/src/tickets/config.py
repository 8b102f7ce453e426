"""Settings of the tickets service (environment variables only)."""

from __future__ import annotations

from pydantic import Field

from ticketing_common.config import BaseServiceSettings


class TicketsSettings(BaseServiceSettings):
    service_name: str = "tickets"
    default_page_size: int = Field(default=20, ge=1, le=100)
    # Answer searches from each replica's in-memory projection (SecantusDB scans whole
    # collections for these queries); False runs them as indexed Mongo queries.
    search_in_memory: bool = True
