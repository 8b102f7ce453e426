"""`GET /api/availability/{event_id}` answered before the web framework's routing and
dependency plumbing: in a sale, seat-map polls are most of the requests, and each paid
for route matching, dependency solving and a response object to send a body that is
already encoded (`availability.render`). It sits inside the guards (request log, limits,
error containment), so a read is logged and limited like any request; what it does not
answer itself (an unknown event's 404, a failed load of the seat map, any other method
or path) goes on to the route in `api/availability.py`, which answers the slow way, its
errors in the service's shape (a database away is a 503 with `Retry-After`).
"""

from __future__ import annotations

import re

from starlette.types import Receive, Scope, Send

from orders.availability.render import rendered_json
from orders.container import OrdersContainer
from ticketing_common.asgi import HttpMiddleware
from ticketing_common.events import utc_now
from ticketing_common.wiring import wired_container

_READ = re.compile(r"/api/availability/([^/]+)")
_JSON = (b"content-type", b"application/json")


class AvailabilityReads(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = _READ.fullmatch(scope["path"]) if scope["method"] == "GET" else None
        container = wired_container(scope["app"], OrdersContainer) if found else None
        if found is None or container is None:
            await self.app(scope, receive, send)
            return
        try:
            snapshot = await container.availability.snapshot(found.group(1))
        except Exception:  # the database away: the route answers, in the service's shape
            snapshot = None
        if snapshot is None:
            await self.app(scope, receive, send)
            return
        body = rendered_json(snapshot, utc_now())
        headers = [(b"content-length", str(len(body)).encode()), _JSON]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
