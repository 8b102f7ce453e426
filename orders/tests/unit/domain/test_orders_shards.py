"""Counter shards of a general-admission type: how many, their slices, where a claim goes."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orders.domain.shards import (
    even_slices,
    rebalance,
    shard_count,
    shard_id,
    shard_ids,
    split_claim,
    spread_claims,
)


@pytest.mark.parametrize(
    ("quantity", "count"), [(0, 1), (49, 1), (100, 2), (399, 7), (400, 8), (1000, 20), (50_000, 32)]
)
def test_shard_count_grows_with_quantity_up_to_a_cap(quantity: int, count: int) -> None:
    assert shard_count(quantity) == count


def test_shard_zero_keeps_the_single_counter_id() -> None:
    assert shard_id("e1", "ga", 0) == "e1:ga"
    assert shard_ids("e1", "ga", 3) == ["e1:ga", "e1:ga:1", "e1:ga:2"]


def test_even_slices_cover_the_quantity() -> None:
    assert even_slices(1003, 5) == [201, 201, 201, 200, 200]
    assert even_slices(2, 3) == [1, 1, 0]


def test_added_quantity_is_spread_and_nothing_moves_otherwise() -> None:
    assert rebalance([200, 200], [150, 0], 400) == [200, 200]
    assert rebalance([200, 200], [150, 0], 500) == [250, 250]


def test_a_cut_comes_out_of_free_room_first() -> None:
    # Shard 0 has 190 taken: cutting it evenly would leave it below what it holds.
    assert rebalance([200, 200], [190, 0], 300) == [200, 100]
    assert rebalance([200, 200], [190, 150], 350) == [200, 150]


def test_a_cut_below_what_is_taken_still_reaches_the_total() -> None:
    slices = rebalance([200, 200], [190, 150], 300)
    assert sum(slices) == 300


@given(
    st.lists(st.tuples(st.integers(0, 500), st.integers(0, 500)), min_size=1, max_size=32),
    st.integers(0, 20_000),
)
def test_rebalance_sums_to_the_total_and_never_cuts_into_taken_units_when_it_can_avoid_it(
    shards: list[tuple[int, int]], total: int
) -> None:
    quantities = [q for q, _ in shards]
    taken = [min(q, t) for q, t in shards]
    slices = rebalance(quantities, taken, total)
    assert sum(slices) == total
    assert all(s >= 0 for s in slices)
    if total >= sum(taken):
        assert all(s >= t for s, t in zip(slices, taken, strict=True))


def test_a_claim_goes_whole_to_one_shard_when_one_has_room() -> None:
    free = {"a": 1, "b": 5, "c": 0, "d": 4}
    for seed in range(20):
        (part,) = split_claim(free, 4, random.Random(seed))
        assert part in (("b", 4), ("d", 4))


def test_a_claim_is_split_only_when_no_shard_has_room_for_all() -> None:
    free = {"a": 2, "b": 2, "c": 1, "d": 0}
    seen = set()
    for seed in range(30):
        parts = split_claim(free, 4, random.Random(seed))
        assert sum(n for _, n in parts) == 4
        assert all(0 < n <= free[shard] for shard, n in parts)
        assert len({shard for shard, _ in parts}) == len(parts)
        seen.add(tuple(sorted(shard for shard, _ in parts)))
    assert len(seen) > 1  # the order is random, so racing buyers spread out
    assert split_claim(free, 6, random.Random(0)) == []


def test_claims_fill_the_roomiest_shard_first_each_whole() -> None:
    plan = spread_claims({"b": 2, "a": 3, "c": 0}, [1, 2, 1, 1, 1])
    # a (3) takes the 1 and the 2; b takes the next two 1s; then all are full.
    assert plan == {"a": [0, 1], "b": [2, 3]}
    assert spread_claims({"a": 2, "b": 3}, [2, 2]) == {"b": [0], "a": [1]}  # b had 1 left
    assert spread_claims({"a": 1, "b": 1}, [2, 1]) == {"a": [1]}  # the 2 fits nowhere whole
    assert spread_claims({}, [1]) == {}


@given(
    st.dictionaries(st.sampled_from("abcdef"), st.integers(0, 6)),
    st.lists(st.integers(1, 4), max_size=20),
)
def test_spread_claims_never_give_a_shard_more_than_its_room(
    free: dict[str, int], sizes: list[int]
) -> None:
    plan = spread_claims(free, sizes)
    given_out = [index for claims in plan.values() for index in claims]
    assert len(given_out) == len(set(given_out))
    for shard, claims in plan.items():
        assert claims == sorted(claims)
        assert sum(sizes[i] for i in claims) <= free[shard]
    # Room only shrinks, so a claim left out fits on no shard even at the end.
    left = {
        shard: room - sum(sizes[i] for i in plan.get(shard, [])) for shard, room in free.items()
    }
    for index in set(range(len(sizes))) - set(given_out):
        assert max(left.values(), default=0) < sizes[index]
