"""Live availability of events: an in-memory projection per event and its live feeds.

`projection` keeps the snapshots current, `snapshot` reads them, `deltas` says what an
order did, `diff`, `frames` and `feed` turn changes into server-sent-event frames and
`render` is the public JSON of a whole snapshot. The modules import `snapshot` and each
other downwards only; nothing here imports this package or the API layer.
"""

from orders.availability.projection import AvailabilityProjection
from orders.availability.snapshot import Snapshot

__all__ = ["AvailabilityProjection", "Snapshot"]
