"""Routes of events (shows): create, search, read, edit, cancel, statistics."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response, status

from ticketing_common.auth import CurrentUser, OptionalUser
from ticketing_common.events import utc_now
from ticketing_common.paging import PageDep, add_paging_headers
from tickets.api.deps import CatalogDep
from tickets.api.show_responses import EventOut, EventSummaryOut
from tickets.api.show_schemas import EventIn, EventPatchIn
from tickets.api.stats_schemas import StatsOut
from tickets.handlers.shows import (
    cancel_show,
    create_show,
    get_show,
    get_stats,
    update_show,
)
from tickets.store.shows_query import ShowQuery

router = APIRouter(prefix="/api/events", tags=["events"])


def _utc(moment: datetime | None) -> datetime | None:
    # A bare date or naive time in a query string is read as UTC.
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


@router.post("", status_code=status.HTTP_201_CREATED)
async def create(body: EventIn, user: CurrentUser, catalog: CatalogDep) -> EventOut:
    return EventOut.of(await create_show(catalog, user.id, body.draft(), utc_now()), user.id)


@router.get("")
async def search(
    request: Request,
    response: Response,
    page: PageDep,
    catalog: CatalogDep,
    user: OptionalUser,
    q: Annotated[str, Query(max_length=200)] = "",
    starts_from: Annotated[datetime | None, Query(alias="from")] = None,
    starts_before: Annotated[datetime | None, Query(alias="to")] = None,
    category: Annotated[str | None, Query(max_length=50)] = None,
    organizer_id: Annotated[str | None, Query(alias="organizerId", max_length=64)] = None,
    status: Literal["active", "cancelled", "all"] = "active",
) -> list[EventSummaryOut]:
    """Upcoming events (from now, unless `from` says otherwise), soonest first."""
    query = ShowQuery(
        q=q,
        starts_from=_utc(starts_from) or utc_now(),
        starts_before=_utc(starts_before),
        category=category,
        organizer_id=organizer_id,
        status=None if status == "all" else status,
    )
    shows, total = await catalog.search_shows(query, page.skip, page.size)
    add_paging_headers(request, response, page, total)
    viewer = user.id if user else None
    return [EventSummaryOut.of(show, viewer) for show in shows]


@router.get("/{event_id}")
async def read(event_id: str, catalog: CatalogDep, user: OptionalUser) -> EventOut:
    """The event; hidden ticket types (sold with a voucher) only for its organizer."""
    return EventOut.of(await get_show(catalog, event_id), user.id if user else None)


@router.patch("/{event_id}")
async def edit(
    event_id: str, body: EventPatchIn, user: CurrentUser, catalog: CatalogDep
) -> EventOut:
    show = await update_show(catalog, event_id, user.id, body.patch(), body.version, utc_now())
    return EventOut.of(show, user.id)


@router.post("/{event_id}/cancel")
async def cancel(event_id: str, user: CurrentUser, catalog: CatalogDep) -> EventOut:
    return EventOut.of(await cancel_show(catalog, event_id, user.id), user.id)


@router.get("/{event_id}/stats")
async def stats(event_id: str, user: CurrentUser, catalog: CatalogDep) -> StatsOut:
    return StatsOut.of(await get_stats(catalog, event_id, user.id, utc_now()))
