"""Unit tests: creating, editing and cancelling a show, against in-memory fakes."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from tickets_fakes import FakeCatalog
from tickets_samples import NOW, draft

from ticketing_common.domain_errors import Conflict, Forbidden, NotFound, RuleViolation
from ticketing_common.events import EventCreated, EventUpdated
from tickets.domain.drafts import ShowPatch, TicketTypeChange
from tickets.domain.sales import OrderLine, OrderRecord
from tickets.domain.shows import Show
from tickets.handlers.shows import cancel_show, create_show, get_show, get_stats, update_show

MORE_GA = ShowPatch(ticket_types=(TicketTypeChange("t1", quantity=150),))


async def created(catalog: FakeCatalog) -> Show:
    show = await create_show(catalog, "org", draft(), NOW)
    catalog.published.clear()
    return show


def sold(catalog: FakeCatalog, show: Show, quantity: int, state: str = "completed") -> None:
    record = OrderRecord(
        f"o{len(catalog.orders.rows)}",
        state,  # type: ignore[arg-type]
        show.id,
        lines=(OrderLine("t1", quantity, 2000),),
        expires_at=NOW + timedelta(minutes=10),
    )
    catalog.orders.rows[record.order_id] = record


async def test_a_new_show_is_stored_announced_and_searchable() -> None:
    catalog = FakeCatalog()
    show = await create_show(catalog, "org", draft(), NOW)
    assert await get_show(catalog, show.id) == show
    [event] = catalog.published_as(EventCreated)
    assert (event.event_id, event.version, len(event.ticket_types)) == (show.id, 0, 2)
    assert catalog.projected == [show]


async def test_a_patch_publishes_the_next_version() -> None:
    catalog = FakeCatalog()
    show = await created(catalog)
    edited = await update_show(catalog, show.id, "org", MORE_GA, None, NOW)
    assert (edited.version, edited.ticket_types[0].quantity) == (1, 150)
    assert await get_show(catalog, show.id) == edited
    [event] = catalog.published_as(EventUpdated)
    assert (event.version, event.ticket_types[0].quantity) == (1, 150)
    assert catalog.projected[-1] == edited


async def test_a_patch_that_changes_nothing_publishes_nothing() -> None:
    catalog = FakeCatalog()
    show = await created(catalog)
    assert await update_show(catalog, show.id, "org", ShowPatch(), None, NOW) == show
    assert catalog.published == []


async def test_a_patch_never_goes_below_what_is_sold_or_held() -> None:
    catalog = FakeCatalog()
    show = await created(catalog)
    sold(catalog, show, 60)
    sold(catalog, show, 30, "created")  # an unexpired hold
    too_few = ShowPatch(ticket_types=(TicketTypeChange("t1", quantity=89),))
    with pytest.raises(RuleViolation, match="90") as error:
        await update_show(catalog, show.id, "org", too_few, None, NOW)
    assert error.value.field == "ticketTypes.0.quantity"
    assert (await get_show(catalog, show.id)).version == 0
    assert catalog.published == []
    enough = ShowPatch(ticket_types=(TicketTypeChange("t1", quantity=90),))
    assert (await update_show(catalog, show.id, "org", enough, None, NOW)).version == 1


async def test_only_the_organizer_patches_cancels_or_reads_stats() -> None:
    catalog = FakeCatalog()
    show = await created(catalog)
    with pytest.raises(Forbidden):
        await update_show(catalog, show.id, "intruder", MORE_GA, None, NOW)
    with pytest.raises(Forbidden):
        await cancel_show(catalog, show.id, "intruder")
    with pytest.raises(Forbidden):
        await get_stats(catalog, show.id, "intruder", NOW)
    assert catalog.published == []


async def test_a_stale_expected_version_is_a_conflict() -> None:
    catalog = FakeCatalog()
    show = await created(catalog)
    with pytest.raises(Conflict, match="changed by someone else"):
        await update_show(catalog, show.id, "org", MORE_GA, 3, NOW)


async def test_a_patch_without_a_version_is_reapplied_after_losing_a_race() -> None:
    catalog = FakeCatalog()
    show = await created(catalog)

    def another_edit_wins() -> None:
        catalog.shows.rows[show.id] = replace(show, name="Renamed", version=1)

    catalog.race = another_edit_wins
    edited = await update_show(catalog, show.id, "org", MORE_GA, None, NOW)
    assert (edited.name, edited.version, edited.ticket_types[0].quantity) == ("Renamed", 2, 150)


async def test_a_patch_with_a_version_that_loses_a_race_is_a_conflict() -> None:
    catalog = FakeCatalog()
    show = await created(catalog)
    catalog.race = lambda: catalog.shows.rows.update({show.id: replace(show, version=1)})
    with pytest.raises(Conflict):
        await update_show(catalog, show.id, "org", MORE_GA, 0, NOW)


async def test_cancelling_publishes_once_and_ends_editing() -> None:
    catalog = FakeCatalog()
    show = await created(catalog)
    cancelled = await cancel_show(catalog, show.id, "org")
    again = await cancel_show(catalog, show.id, "org")
    assert (again.status, again.version) == ("cancelled", 1) == (cancelled.status, 1)
    assert [(e.status, e.version) for e in catalog.published_as(EventUpdated)] == [("cancelled", 1)]
    with pytest.raises(RuleViolation, match="cancelled event cannot be edited"):
        await update_show(catalog, show.id, "org", MORE_GA, None, NOW)


async def test_stats_count_sold_and_held_units() -> None:
    catalog = FakeCatalog()
    show = await created(catalog)
    sold(catalog, show, 10)
    sold(catalog, show, 5, "created")
    stats = await get_stats(catalog, show.id, "org", NOW)
    ga = stats.ticket_types[0]
    assert (ga.sold, ga.held, ga.revenue, ga.remaining) == (10, 5, 20000, 85)


async def test_an_unknown_show_is_not_found() -> None:
    with pytest.raises(NotFound, match="Event not found"):
        await get_show(FakeCatalog(), "nope")
