"""Voucher rules: discounts per kind, when a code is usable, what it applies to, what
an organizer may create."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from orders_fakes import NOW, FakeUnit, general_type

from orders.domain.order_parts import Line
from orders.domain.vouchers import (
    Discount,
    Voucher,
    VoucherRefused,
    VoucherSpec,
    VoucherUsedUp,
    check_organizer,
    code_key,
    new_voucher,
)
from ticketing_common.domain_errors import Forbidden, RuleViolation


def _voucher(**changes: object) -> Voucher:
    voucher = Voucher("v1", "e1", "SPRING", 10, NOW, Discount("percent", 2500))
    return replace(voucher, **changes)


def test_discounts_of_each_kind_never_exceed_the_line() -> None:
    line = Line("ga", 3, 2000)
    assert Discount("percent", 2500).of(line) == 1500
    assert Discount("percent", 10_000).of(line) == 6000
    assert Discount("percent", 3333).of(Line("ga", 1, 1001)) == 334  # 333.63 → 334
    assert Discount("amount", 500).of(line) == 1500  # 5.00 off each ticket
    assert Discount("amount", 5000).of(line) == 6000  # never below zero
    assert Discount("fixed", 1200).of(line) == 2400  # each ticket at 12.00
    assert Discount("fixed", 9900).of(line) == 0  # a fixed price above the price: no change


def test_codes_compare_case_insensitively() -> None:
    assert code_key(" Spring-25 ") == code_key("SPRING-25") == "spring-25"


def test_a_voucher_is_usable_only_in_its_window_while_enabled_and_not_used_up() -> None:
    _voucher().check_usable(NOW)
    with pytest.raises(VoucherRefused, match="not valid yet") as early:
        _voucher(valid_from=NOW + timedelta(hours=1)).check_usable(NOW)
    assert early.value.field == "voucher"
    with pytest.raises(VoucherRefused, match="expired"):
        _voucher(valid_until=NOW).check_usable(NOW)
    with pytest.raises(VoucherRefused, match="no longer valid"):
        _voucher(disabled=True).check_usable(NOW)
    with pytest.raises(VoucherUsedUp) as used_up:
        _voucher(redeemed=10).check_usable(NOW)
    assert used_up.value.field == "voucher"


def test_a_voucher_discounts_only_the_types_it_is_limited_to() -> None:
    voucher = _voucher(ticket_type_ids=("vip",))
    vip, ga = voucher.apply([Line("vip", 2, 10000), Line("ga", 1, 2000)])
    assert (vip.discount, ga.discount) == (5000, 0)
    with pytest.raises(VoucherRefused, match="does not apply"):
        voucher.apply([Line("ga", 1, 2000)])


def test_an_unlocking_voucher_applies_when_the_order_has_the_unlocked_type() -> None:
    voucher = _voucher(discount=None, unlocks="secret")
    assert voucher.unlocked == frozenset({"secret"})
    lines = [Line("secret", 1, 3000)]
    assert voucher.apply(lines) == lines
    with pytest.raises(VoucherRefused, match="does not apply"):
        voucher.apply([Line("ga", 1, 2000)])


def test_only_the_events_organizer_manages_its_vouchers() -> None:
    event = FakeUnit().add_event(NOW, general_type())
    check_organizer(event, "organizer")
    with pytest.raises(Forbidden):
        check_organizer(event, "someone")


def test_new_voucher_rules_name_the_bad_field() -> None:
    event = FakeUnit().add_event(NOW, general_type("ga"), replace(general_type("vip"), hidden=True))
    made = new_voucher("v1", event, VoucherSpec(" Spring ", 5, Discount("amount", 100)), NOW)
    assert (made.code, made.event_id, made.redeemed) == ("Spring", "e1", 0)
    bad = [
        (VoucherSpec("x", 5, Discount("amount", 100)), "code"),
        (VoucherSpec("SPRING", 0, Discount("amount", 100)), "maxRedemptions"),
        (VoucherSpec("SPRING", 5, Discount("amount", 1), ("nope",)), "ticketTypeIds.0"),
        (VoucherSpec("SPRING", 5, None, unlocks="ga"), "unlocks"),
        (VoucherSpec("SPRING", 5, None), None),
        (
            VoucherSpec("SPRING", 5, Discount("amount", 1), valid_from=NOW, valid_until=NOW),
            "validUntil",
        ),
    ]
    for spec, field in bad:
        with pytest.raises(RuleViolation) as refused:
            new_voucher("v1", event, spec, NOW)
        assert refused.value.field == field
    unlocking = new_voucher("v2", event, VoucherSpec("VIPONLY", 5, None, unlocks="vip"), NOW)
    assert unlocking.unlocks == "vip"
