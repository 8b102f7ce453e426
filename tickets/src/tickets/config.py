"""Settings of the tickets service (environment variables only)."""

from __future__ import annotations

from pydantic import Field

from ticketing_common.config import BaseServiceSettings

# The largest request is an event with a 100,000-seat map that lists its seat labels.
# The catalog accepts such a map while its event message fits NATS (labels of up to
# five characters): 0.85-0.95 MB of JSON as most clients send it, 3.9 MB pretty-printed
# with four-space indentation (measured in tests/unit/test_tickets_config.py).
MAX_BODY_BYTES = 4 * 1024 * 1024


class TicketsSettings(BaseServiceSettings):
    service_name: str = "tickets"
    # Answer searches from each replica's in-memory projection (SecantusDB scans whole
    # collections for these queries); False runs them as indexed Mongo queries.
    search_in_memory: bool = True
    max_body_bytes: int = Field(default=MAX_BODY_BYTES, ge=1024)
