"""Use cases of events (shows): create, read, edit, cancel, statistics."""

from __future__ import annotations

from datetime import datetime

from bson import ObjectId

from ticketing_common.domain_errors import NotFound
from tickets.domain.drafts import ShowDraft, ShowPatch
from tickets.domain.sales import tally
from tickets.domain.shows import Show, ShowChanged, new_show
from tickets.domain.stats import ShowStats
from tickets.handlers.ports import Stores, Transaction, UnitOfWork

# An edit without an expected version is a delta: re-applied on the newer show if
# another edit won the race, a few times before the caller gets 409.
PATCH_ATTEMPTS = 3


async def create_show(uow: UnitOfWork, organizer_id: str, draft: ShowDraft, now: datetime) -> Show:
    show = new_show(str(ObjectId()), organizer_id, draft, now)

    async def save(tx: Transaction) -> None:
        await tx.shows.insert(show)
        await tx.record(show.outgoing)

    await uow.commit(save)
    uow.project(show)
    return show


async def get_show(stores: Stores, show_id: str) -> Show:
    show = await stores.shows.get(show_id)
    if show is None:
        raise NotFound("Event not found")
    return show


async def _save_new_version(uow: UnitOfWork, before: Show, after: Show) -> None:
    async def save(tx: Transaction) -> None:
        if not await tx.shows.replace_if_version(after, before.version):
            raise ShowChanged()
        await tx.record(after.outgoing)

    await uow.commit(save)
    uow.project(after)


async def update_show(
    uow: UnitOfWork,
    show_id: str,
    user_id: str,
    patch: ShowPatch,
    expected_version: int | None,
    now: datetime,
) -> Show:
    for attempt in range(1, PATCH_ATTEMPTS + 1):
        show = await get_show(uow, show_id)
        sales = tally(await uow.orders.for_event(show.id), now)
        edited = show.edited_by(user_id, patch, sales, now, expected_version)
        if edited is show:
            return show
        try:
            await _save_new_version(uow, show, edited)
        except ShowChanged:
            if expected_version is not None or attempt == PATCH_ATTEMPTS:
                raise
            continue
        return edited
    raise AssertionError("unreachable")  # pragma: no cover


async def cancel_show(uow: UnitOfWork, show_id: str, user_id: str) -> Show:
    show = await get_show(uow, show_id)
    cancelled = show.cancelled_by(user_id)
    if cancelled is not show:
        await _save_new_version(uow, show, cancelled)
    return cancelled


async def get_stats(stores: Stores, show_id: str, user_id: str, now: datetime) -> ShowStats:
    show = await get_show(stores, show_id)
    return show.sales_stats(user_id, tally(await stores.orders.for_event(show.id), now), now)
