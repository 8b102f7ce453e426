"""Keeps this replica's search projection fresh with other replicas' event writes.

An ordered (ephemeral, per-replica) consumer of `event.*` from "now": every
replica sees every change, unlike the shared durable listeners that split work.
Subscribed before the projection loads, so no change falls between the two.
"""

from __future__ import annotations

import json
import logging

from nats.aio.msg import Msg
from nats.js.api import DeliverPolicy

from ticketing_common.events import Subject
from tickets.catalog import Catalog

log = logging.getLogger(__name__)


async def follow_event_changes(catalog: Catalog) -> None:
    async def on_change(msg: Msg) -> None:
        try:
            event_id = json.loads(msg.data)["eventId"]
            await catalog.reindex(str(event_id))
        except Exception:
            # A missed refresh only delays search results; the next change fixes them.
            log.exception("search projection refresh failed")

    for subject in (Subject.EVENT_CREATED, Subject.EVENT_UPDATED):
        await catalog.runtime.js.subscribe(
            str(subject), cb=on_change, ordered_consumer=True, deliver_policy=DeliverPolicy.NEW
        )
