"""Group commit of general-admission claims, on in-memory fakes: concurrent holds of a
type share writes, first come first served, never more units than there are."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from orders_fakes import NOW, FakeCounters, general_type

from orders.domain.counters import HoldEntry, counter_free, take_in_order
from orders.domain.holds import TicketType
from orders.domain.shards import shard_ids
from orders.handlers.group_claims import GroupClaims, Outcome
from orders.handlers.room_bounds import BOUND_SECONDS

EXPIRES = NOW + timedelta(minutes=15)
SHARD_A, SHARD_B = shard_ids("e1", "ga", 2)


class CountingCounters(FakeCounters):
    """Counts the round trips a group makes: writes (claim_all, claim_many) and reads."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []
        self.written: list[str] = []  # the shard of each all-or-none write

    async def claim_all(self, shard, entries, now):  # type: ignore[no-untyped-def]
        self.calls.append("write")
        self.written.append(shard)
        await asyncio.sleep(0.001)  # a round trip: later claims gather meanwhile
        return await super().claim_all(shard, entries, now)

    async def claim_many(self, shard, entries, now):  # type: ignore[no-untyped-def]
        self.calls.append("write")
        await asyncio.sleep(0.001)
        return await super().claim_many(shard, entries, now)

    async def room_of_type(self, event_id, type_id, now):  # type: ignore[no-untyped-def]
        self.calls.append("read")
        return await super().room_of_type(event_id, type_id, now)


def _held(counters: FakeCounters) -> int:
    return sum(counter_free(doc, NOW)[0] for doc in counters.shards.values())


def _fresh(quantity: int, shards: int = 1) -> tuple[CountingCounters, TicketType, GroupClaims]:
    counters = CountingCounters()
    counters.add_type("e1", "ga", quantity, shards=shards)
    return counters, general_type(quantity=quantity, shards=shards), GroupClaims(counters)


async def _at_once(groups: GroupClaims, ticket_type: TicketType, n: int) -> list[Outcome]:
    """`n` holds of one unit each, arriving together (orders o0, o1...)."""
    claims = (groups.claim("e1", ticket_type, f"o{i}", 1, EXPIRES, NOW) for i in range(n))
    return list(await asyncio.gather(*claims))


def test_claims_are_taken_in_arrival_order_while_there_is_room() -> None:
    assert take_in_order(5, [2, 2, 2, 1]) == ([True, True, False, True], 0)
    assert take_in_order(0, [1]) == ([False], 0)


async def test_concurrent_holds_share_writes_and_never_exceed_the_quantity() -> None:
    counters, ticket_type, groups = _fresh(10, shards=3)

    outcomes = await _at_once(groups, ticket_type, 30)

    assert outcomes.count(None) == 10
    assert [o for o in outcomes if o is not None] == [0] * 20
    assert _held(counters) == 10
    # 30 holds cost a handful of round trips, not 30 writes.
    assert counters.calls.count("write") <= 6


async def test_after_a_sold_out_answer_a_refusal_costs_a_read_not_a_write() -> None:
    counters, ticket_type, groups = _fresh(2)
    assert await _at_once(groups, ticket_type, 3) == [None, None, 0]  # the sold-out answer
    groups.released("e1")  # the proof ends (units may have come free), the answer stays
    counters.calls.clear()

    assert await groups.claim("e1", ticket_type, "late", 1, EXPIRES, NOW) == 0

    assert counters.calls == ["read"]


async def test_the_writes_that_take_the_last_units_prove_the_type_sold_out() -> None:
    counters, ticket_type, groups = _fresh(4, shards=2)
    # The first group reads (a type not yet read here) and takes every unit.
    assert await _at_once(groups, ticket_type, 4) == [None] * 4
    assert counters.calls[0] == "read"
    counters.calls.clear()

    assert await groups.claim("e1", ticket_type, "late", 1, EXPIRES, NOW) == 0

    assert counters.calls == []  # no read: the writes left no room


async def test_a_group_whose_claims_were_all_taken_leaves_the_next_one_writing_first() -> None:
    counters = CountingCounters()
    ticket_type = general_type(quantity=30, shards=3)
    counters.add_type("e1", "ga", 30, shards=3)
    groups = GroupClaims(counters)
    assert await groups.claim("e1", ticket_type, "o1", 1, EXPIRES, NOW) is None
    counters.calls.clear()

    assert await groups.claim("e1", ticket_type, "o2", 1, EXPIRES, NOW) is None

    # Not sold out: no read of the type's shards before the write.
    assert counters.calls == ["write"]


async def _shard_a_full_and_heard_of() -> tuple[CountingCounters, GroupClaims, TicketType]:
    """Two shards of 2; shard A full (another buyer); a claim of 3, which no shard can
    hold, made the groups read both."""
    counters = CountingCounters()
    ticket_type = general_type(quantity=4, max_per_order=4, shards=2)
    counters.add_type("e1", "ga", 4, shards=2)
    assert await counters.claim(SHARD_A, "other", 2, EXPIRES, NOW)
    groups = GroupClaims(counters)
    assert await groups.claim("e1", ticket_type, "three", 3, EXPIRES, NOW) == 2
    counters.calls.clear()
    counters.written.clear()
    return counters, groups, ticket_type


async def test_a_group_goes_to_a_shard_last_heard_to_have_room_for_it() -> None:
    counters, groups, ticket_type = await _shard_a_full_and_heard_of()

    assert await groups.claim("e1", ticket_type, "o1", 1, EXPIRES, NOW) is None

    assert counters.calls == ["write"]
    assert counters.written == [SHARD_B]


async def test_a_type_not_yet_read_here_is_read_before_the_first_write() -> None:
    counters = CountingCounters()
    counters.add_type("e1", "ga", 30, shards=3)
    groups = GroupClaims(counters)

    assert (
        await groups.claim("e1", general_type(quantity=30, shards=3), "o1", 1, EXPIRES, NOW) is None
    )

    # The read says where there is room: one all-or-none write there, nothing read back.
    assert counters.calls == ["read", "write"]
    assert len(counters.written) == 1


class RaceAfterRead(CountingCounters):
    """Another buyer takes a unit right after each read of the type's shards."""

    async def room_of_type(self, event_id, type_id, now):  # type: ignore[no-untyped-def]
        room = await super().room_of_type(event_id, type_id, now)
        taken = HoldEntry("elsewhere", 1, EXPIRES, NOW)  # not counted: not this process's
        await FakeCounters.claim_all(self, next(iter(self.shards)), [taken], NOW)
        return room


async def test_a_shard_changed_since_the_read_takes_the_claims_in_arrival_order() -> None:
    counters = RaceAfterRead()
    ticket_type = general_type(quantity=2, shards=1)
    counters.add_type("e1", "ga", 2)
    groups = GroupClaims(counters)

    outcomes = await _at_once(groups, ticket_type, 2)

    assert outcomes == [None, 0]  # the first come is served; nothing given twice
    assert counters.calls == ["read", "write", "write"]  # all or none refused, then in order
    assert _held(counters) == 2


async def test_a_group_goes_to_the_shard_with_the_least_room_that_fits_it() -> None:
    counters = CountingCounters()
    ticket_type = general_type(quantity=30, max_per_order=10, shards=3)
    counters.add_type("e1", "ga", 30, shards=3)
    roomy, small, middle = shard_ids("e1", "ga", 3)
    assert await counters.claim(small, "other-1", 7, EXPIRES, NOW)  # 3 left
    assert await counters.claim(middle, "other-2", 4, EXPIRES, NOW)  # 6 left
    groups = GroupClaims(counters)
    assert await groups.claim("e1", ticket_type, "first", 1, EXPIRES, NOW) is None  # reads
    counters.written.clear()

    assert await groups.claim("e1", ticket_type, "two", 2, EXPIRES, NOW) is None
    assert await groups.claim("e1", ticket_type, "four", 4, EXPIRES, NOW) is None
    assert await groups.claim("e1", ticket_type, "one", 1, EXPIRES, NOW) is None

    # Shards fill one by one; the roomiest keeps room for a big group.
    assert counters.written == [small, middle, small]
    assert await groups.claim("e1", ticket_type, "nine", 9, EXPIRES, NOW) is None
    assert counters.written[-1] == roomy


async def test_a_group_the_hint_misleads_reads_the_shards_and_is_served() -> None:
    counters, groups, ticket_type = await _shard_a_full_and_heard_of()
    # Meanwhile, unheard of here: A's units came free, B's were taken elsewhere.
    await counters.release("e1", ["ga"], "other")
    assert await counters.claim(SHARD_B, "elsewhere", 2, EXPIRES, NOW)
    counters.calls.clear()

    assert await groups.claim("e1", ticket_type, "o1", 1, EXPIRES, NOW) is None

    assert counters.calls == ["write", "read", "write"]
    assert counters.shards[SHARD_A]["holds"][-1]["orderId"] == "o1"


async def test_a_claim_no_single_shard_can_hold_is_split_over_shards() -> None:
    counters = FakeCounters()
    ticket_type = general_type(quantity=4, max_per_order=4, shards=2)
    counters.add_type("e1", "ga", 4, shards=2)
    groups = GroupClaims(counters)
    assert await groups.claim("e1", ticket_type, "a", 1, EXPIRES, NOW) is None
    assert await groups.claim("e1", ticket_type, "b", 1, EXPIRES, NOW) is None

    # Two units are left, maybe one on each shard: a claim of 2 still succeeds.
    assert await groups.claim("e1", ticket_type, "c", 2, EXPIRES, NOW) is None
    assert _held(counters) == 4
    assert await groups.claim("e1", ticket_type, "d", 1, EXPIRES, NOW) == 0


async def test_an_expired_hold_is_free_for_the_next_group() -> None:
    counters = FakeCounters()
    ticket_type = general_type(quantity=1)
    counters.add_type("e1", "ga", 1)
    groups = GroupClaims(counters)
    assert await groups.claim("e1", ticket_type, "a", 1, NOW + timedelta(seconds=1), NOW) is None
    later = NOW + timedelta(seconds=2)

    assert await groups.claim("e1", ticket_type, "b", 1, EXPIRES, later) is None

    (entry,) = next(iter(counters.shards.values()))["holds"]
    assert entry["orderId"] == "b"


def test_an_entry_is_stored_with_its_claim_time() -> None:
    entry = HoldEntry("o1", 2, EXPIRES, NOW)
    assert entry.document() == {"orderId": "o1", "n": 2, "expiresAt": EXPIRES, "claimedAt": NOW}


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def _sold_out(quantity: int = 2) -> tuple[CountingCounters, GroupClaims, Clock]:
    counters, clock = CountingCounters(), Clock()
    counters.add_type("e1", "ga", quantity)
    groups = GroupClaims(counters, clock=clock)
    for n in range(quantity):
        assert (
            await groups.claim("e1", general_type(quantity=quantity), f"o{n}", 1, EXPIRES, NOW)
            is None
        )
    assert await groups.claim("e1", general_type(quantity=quantity), "proof", 1, EXPIRES, NOW) == 0
    counters.calls.clear()
    return counters, groups, clock


async def test_a_proven_sold_out_type_refuses_without_a_round_trip_for_a_while() -> None:
    counters, groups, clock = await _sold_out()
    ticket_type = general_type(quantity=2)

    refusals = await asyncio.gather(
        *(groups.claim("e1", ticket_type, f"late-{n}", 1, EXPIRES, NOW) for n in range(20))
    )

    assert refusals == [0] * 20
    assert counters.calls == []
    clock.now += BOUND_SECONDS  # a lost release notification is repaired: ask again
    assert await groups.claim("e1", ticket_type, "later", 1, EXPIRES, NOW) == 0
    assert "read" in counters.calls


async def test_a_release_ends_the_proof_and_the_unit_is_offered_at_once() -> None:
    counters, groups, _ = await _sold_out()
    ticket_type = general_type(quantity=2)
    await counters.release("e1", ["ga"], "o0")

    groups.released("e1")

    assert await groups.claim("e1", ticket_type, "next", 1, EXPIRES, NOW) is None


async def test_the_proof_ends_when_the_first_hold_expires() -> None:
    _, groups, _ = await _sold_out()
    after_expiry = EXPIRES + timedelta(seconds=1)

    # Within the proof's time, but the holds it rests on have expired: read, and take.
    assert await groups.claim("e1", general_type(quantity=2), "n", 1, EXPIRES, after_expiry) is None


async def test_a_proof_past_half_its_time_is_read_again_while_it_still_answers() -> None:
    counters, groups, clock = await _sold_out()
    ticket_type = general_type(quantity=2)
    clock.now += BOUND_SECONDS * 0.6

    assert await groups.claim("e1", ticket_type, "late-1", 1, EXPIRES, NOW) == 0
    assert counters.calls == []  # answered by the proof; its read goes on behind
    await asyncio.sleep(0)
    assert counters.calls == ["read"]

    # Past the first proof's time: the renewed one answers, with no read in the way.
    clock.now += BOUND_SECONDS * 0.6
    assert await groups.claim("e1", ticket_type, "late-2", 1, EXPIRES, NOW) == 0
    assert counters.calls == ["read"]


async def test_a_renewal_that_finds_room_ends_the_proof() -> None:
    counters, groups, clock = await _sold_out()
    ticket_type = general_type(quantity=2)
    await counters.release("e1", ["ga"], "o0")  # unheard of here (a lost notification)
    clock.now += BOUND_SECONDS * 0.6
    assert await groups.claim("e1", ticket_type, "late", 1, EXPIRES, NOW) == 0
    await asyncio.sleep(0)

    assert await groups.claim("e1", ticket_type, "next", 1, EXPIRES, NOW) is None
