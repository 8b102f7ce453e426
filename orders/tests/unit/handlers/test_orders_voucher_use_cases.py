"""Vouchers on the hold path and after it, on in-memory fakes: a discounted, taxed hold
redeems the code once; refusals are about the `voucher` field and hold nothing; an order
that ends unpaid gives its redemption back, and the recovery sweep repairs a crash."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from orders_fakes import NOW, FakeUnit, general_type, seated_type

from orders.domain.order import Order
from orders.domain.vouchers import Discount, VoucherRefused, VoucherSpec, VoucherUsedUp
from orders.handlers.expiry import expire_orders
from orders.handlers.holds import hold_general
from orders.handlers.lifecycle import cancel_order
from orders.handlers.recovery import release_abandoned_holds
from orders.handlers.seats import hold_seats
from orders.handlers.vouchers import create_voucher, disable_voucher, list_vouchers
from ticketing_common.domain_errors import Conflict, Forbidden, RuleViolation
from ticketing_common.events import OrderCreated

GRACE = timedelta(seconds=10)
LATER = NOW + timedelta(minutes=16)


async def _shop(max_redemptions: int = 2, **spec: object) -> FakeUnit:
    """An event with a 19 %-VAT type `ga` (20.50), a hidden `vip` and voucher SPRING25."""
    uow = FakeUnit()
    vat = replace(general_type("ga", quantity=10), tax_rate_bp=1900)
    hidden = replace(general_type("vip", quantity=5), hidden=True, price=10000)
    uow.add_event(NOW, vat, hidden)
    voucher_spec = VoucherSpec("Spring25", max_redemptions, Discount("percent", 2500))
    await create_voucher(uow, "organizer", "e1", replace(voucher_spec, **spec), NOW)
    return uow


def _redeemed(uow: FakeUnit) -> dict[str, object]:
    (taken,) = uow.vouchers.redemptions.values()
    return dict(taken)


async def _free_ga(uow: FakeUnit) -> int:
    return sum((await uow.counters.free_by_shard("e1", "ga", NOW)).values())


async def test_a_hold_with_a_voucher_is_discounted_taxed_and_redeems_it_once() -> None:
    uow = await _shop()

    order = (await hold_general(uow, "buyer", "e1", {"ga": 2}, NOW, "spring25")).order

    (line,) = order.lines
    assert (line.unit_price, line.discount, line.tax_rate_bp) == (2050, 1025, 1900)
    # 41.00 - 10.25 = 30.75 with 19 % VAT inside: 4.91 tax, 25.84 net.
    assert (order.amount, order.tax, order.net) == (3075, 491, 2584)
    assert order.voucher is not None
    assert order.voucher.code == "Spring25"
    assert _redeemed(uow) == {order.id: NOW}
    (created,) = uow.orders.recorded[order.id]
    assert isinstance(created, OrderCreated)
    assert (created.amount, created.tax, created.voucher_code) == (3075, 491, "Spring25")
    assert created.items[0].discount == 1025
    assert created.items[0].tax_amount == 491


async def test_refused_codes_name_the_voucher_field_and_hold_nothing() -> None:
    uow = await _shop(ticket_type_ids=("vip",))
    for code, error, message in [
        ("NOPE", VoucherRefused, "Unknown voucher code"),
        ("spring25", VoucherRefused, "does not apply"),
    ]:
        with pytest.raises(error, match=message) as refused:
            await hold_general(uow, "buyer", "e1", {"ga": 1}, NOW, code)
        assert refused.value.field == "voucher"
    assert uow.orders.stored == {}
    assert await _free_ga(uow) == 10
    assert _redeemed(uow) == {}


async def test_a_used_up_voucher_is_refused_and_its_claimed_units_go_back() -> None:
    uow = await _shop(max_redemptions=1)
    await hold_general(uow, "first", "e1", {"ga": 1}, NOW, "SPRING25")

    with pytest.raises(VoucherUsedUp):  # as last read: refused before any claim
        await hold_general(uow, "second", "e1", {"ga": 1}, NOW, "SPRING25")
    # Lost at the guarded write (the read said there was one left): the units go back.
    stale = uow.vouchers.by_code
    uow.vouchers.by_code = lambda e, c: _fresh(stale, e, c)  # type: ignore[method-assign]
    with pytest.raises(VoucherUsedUp):
        await hold_general(uow, "third", "e1", {"ga": 2}, NOW, "SPRING25")

    assert len(uow.orders.stored) == 1
    assert await _free_ga(uow) == 9


async def _fresh(read, event_id, code):  # type: ignore[no-untyped-def]
    voucher = await read(event_id, code)
    return replace(voucher, redeemed=0)


async def test_an_expired_or_disabled_voucher_is_refused() -> None:
    uow = await _shop(valid_until=NOW + timedelta(minutes=1))
    with pytest.raises(VoucherRefused, match="expired"):
        await hold_general(uow, "buyer", "e1", {"ga": 1}, NOW + timedelta(minutes=1), "spring25")
    (voucher_id,) = uow.vouchers.stored
    disabled = await disable_voucher(uow, "organizer", "e1", voucher_id)
    assert disabled.disabled
    with pytest.raises(VoucherRefused, match="no longer valid"):
        await hold_general(uow, "buyer", "e1", {"ga": 1}, NOW, "spring25")


async def test_a_hidden_type_is_sold_only_with_the_voucher_that_unlocks_it() -> None:
    uow = await _shop()
    await create_voucher(
        uow, "organizer", "e1", VoucherSpec("VIPPASS", 5, None, unlocks="vip"), NOW
    )
    with pytest.raises(RuleViolation, match="Unknown ticket type vip") as refused:
        await hold_general(uow, "buyer", "e1", {"vip": 1}, NOW)
    assert refused.value.field == "items.0.ticketTypeId"
    with pytest.raises(RuleViolation, match="Unknown ticket type vip"):
        await hold_general(uow, "buyer", "e1", {"vip": 1}, NOW, "spring25")

    order = (await hold_general(uow, "buyer", "e1", {"vip": 1}, NOW, "vippass")).order

    assert (order.amount, order.lines[0].discount) == (10000, 0)


async def test_an_expired_hold_and_a_cancelled_one_give_their_redemptions_back() -> None:
    uow = await _shop()
    first = (await hold_general(uow, "a", "e1", {"ga": 1}, NOW, "spring25")).order
    second = (await hold_general(uow, "b", "e1", {"ga": 1}, NOW, "spring25")).order
    assert len(_redeemed(uow)) == 2

    await expire_orders(uow, [first.id], LATER)
    assert set(_redeemed(uow)) == {second.id}
    await cancel_order(uow, second.id, "cancelled_by_buyer", NOW, buyer="b")
    assert _redeemed(uow) == {}
    # A redelivery gives back nothing twice, and the code is usable again.
    await expire_orders(uow, [first.id], LATER)
    again = await hold_general(uow, "c", "e1", {"ga": 1}, NOW, "spring25")
    assert _redeemed(uow) == {again.order.id: NOW}


async def test_the_sweep_gives_back_a_redemption_whose_order_was_never_recorded() -> None:
    uow = await _shop()
    voucher = await uow.vouchers.by_code("e1", "spring25")
    assert voucher is not None
    assert await uow.vouchers.redeem(voucher, "ghost", NOW)  # then the hold died
    live = (await hold_general(uow, "buyer", "e1", {"ga": 1}, NOW, "spring25")).order

    at = NOW + GRACE + timedelta(seconds=1)
    await release_abandoned_holds(uow, None, at - GRACE, at)

    assert uow.orders.fences == {"ghost": at}  # a slow hold can no longer record it
    assert _redeemed(uow) == {live.id: NOW}


async def test_the_sweep_gives_back_the_redemption_of_an_order_cancelled_in_its_window() -> None:
    uow = await _shop()
    order = (await hold_general(uow, "buyer", "e1", {"ga": 1}, NOW, "spring25")).order
    cancelled_at = NOW + timedelta(minutes=5)
    cancelled, event = order.cancel("cancelled_by_buyer", cancelled_at, by_buyer=True)
    assert await uow.orders.replace_if_unchanged(order, cancelled, event)  # then the crash

    at = cancelled_at + GRACE + timedelta(seconds=1)
    await release_abandoned_holds(uow, cancelled_at - timedelta(seconds=5), at - GRACE, at)

    assert _redeemed(uow) == {}


async def test_a_seat_hold_takes_the_voucher_too() -> None:
    uow = FakeUnit()
    uow.add_event(NOW, replace(seated_type("std"), tax_rate_bp=1000, tax_included=False))
    uow.add_seats("e1", "std", "A", 2)
    await create_voucher(
        uow, "organizer", "e1", VoucherSpec("HALF", 3, Discount("fixed", 2000)), NOW
    )

    order: Order = (await hold_seats(uow, "buyer", "e1", ["A-0", "A-1"], NOW, "half")).order

    # Two seats at 40.00, each at the fixed 20.00: 40.00 net, 10 % added: 44.00.
    assert (order.net, order.tax, order.amount) == (4000, 400, 4400)


async def test_only_the_organizer_creates_and_lists_vouchers_and_codes_are_unique() -> None:
    uow = await _shop()
    spec = VoucherSpec("OTHER", 1, Discount("amount", 100))
    with pytest.raises(Forbidden):
        await create_voucher(uow, "someone", "e1", spec, NOW)
    with pytest.raises(Forbidden):
        await list_vouchers(uow, "someone", "e1", 0, 10)
    with pytest.raises(Conflict, match="already has a voucher") as duplicate:
        await create_voucher(uow, "organizer", "e1", replace(spec, code="SPRING25"), NOW)
    assert duplicate.value.field == "code"
    vouchers, total = await list_vouchers(uow, "organizer", "e1", 0, 10)
    assert ([v.code for v in vouchers], total) == (["Spring25"], 1)
