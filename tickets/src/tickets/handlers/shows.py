"""Use cases of events (shows): create, edit, cancel, search, statistics."""

from __future__ import annotations

from datetime import datetime

from bson import ObjectId
from pymongo.asynchronous.client_session import AsyncClientSession

from ticketing_common.domain_errors import Conflict, NotFound
from tickets.domain.drafts import ShowDraft
from tickets.domain.patching import ShowPatch, apply_patch, cancel, ensure_organizer
from tickets.domain.sales import tally
from tickets.domain.shows import Show, new_show
from tickets.domain.stats import ShowStats, show_stats
from tickets.handlers import Catalog
from tickets.store.shows_query import ShowQuery

# An edit without an expected version is a delta: re-applied on the newer show if
# another edit won the race, a few times before the caller gets 409.
PATCH_ATTEMPTS = 3


async def create_show(catalog: Catalog, organizer_id: str, draft: ShowDraft, now: datetime) -> Show:
    show = new_show(str(ObjectId()), organizer_id, draft, now)

    async def save(session: AsyncClientSession) -> None:
        await catalog.shows.insert(show, session)
        await catalog.runtime.outbox.add(session, show.created_event())

    await catalog.commit(save)
    return catalog.indexed(show)


async def get_show(catalog: Catalog, show_id: str) -> Show:
    show = await catalog.shows.get(show_id)
    if show is None:
        raise NotFound("Event not found")
    return show


async def search_shows(
    catalog: Catalog, query: ShowQuery, skip: int, limit: int
) -> tuple[list[Show], int]:
    if catalog.index is None:
        return await catalog.shows.search(query, skip, limit)
    ids, total = catalog.index.search(query, skip, limit)
    return await catalog.shows.get_many(ids), total


async def _save_new_version(catalog: Catalog, before: Show, after: Show) -> None:
    async def save(session: AsyncClientSession) -> None:
        if not await catalog.shows.replace_if_version(after, before.version, session):
            raise Conflict("The event was changed by someone else; reload and try again")
        await catalog.runtime.outbox.add(session, after.updated_event())

    await catalog.commit(save)
    catalog.indexed(after)


async def update_show(
    catalog: Catalog,
    show_id: str,
    user_id: str,
    patch: ShowPatch,
    expected_version: int | None,
    now: datetime,
) -> Show:
    for attempt in range(1, PATCH_ATTEMPTS + 1):
        show = await get_show(catalog, show_id)
        ensure_organizer(show, user_id)
        if expected_version is not None and expected_version != show.version:
            raise Conflict("The event was changed by someone else; reload and try again")
        sales = tally(await catalog.orders.for_event(show.id), now)
        edited = apply_patch(show, patch, sales, now)
        if edited is show:
            return show
        try:
            await _save_new_version(catalog, show, edited)
        except Conflict:
            if expected_version is not None or attempt == PATCH_ATTEMPTS:
                raise
            continue
        return edited
    raise AssertionError("unreachable")  # pragma: no cover


async def cancel_show(catalog: Catalog, show_id: str, user_id: str) -> Show:
    show = await get_show(catalog, show_id)
    ensure_organizer(show, user_id)
    cancelled = cancel(show)
    if cancelled is not show:
        await _save_new_version(catalog, show, cancelled)
    return cancelled


async def get_stats(catalog: Catalog, show_id: str, user_id: str, now: datetime) -> ShowStats:
    show = await get_show(catalog, show_id)
    ensure_organizer(show, user_id)
    return show_stats(show, tally(await catalog.orders.for_event(show.id), now))
