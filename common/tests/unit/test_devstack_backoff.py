"""The dev-stack restart back-off: doubling, capped, and reset by a healthy spell."""

from __future__ import annotations

from ticketing_common.devstack.restarts import Recovery, RestartPolicy, describe_exit


def test_the_back_off_doubles_up_to_its_cap_and_survives_a_night_of_crashes() -> None:
    policy = RestartPolicy(first_delay=1.0, max_delay=30.0)
    assert [policy.delay(failures) for failures in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]
    assert policy.delay(5000) == 30


def test_a_crash_after_a_long_healthy_spell_counts_as_the_first() -> None:
    policy = RestartPolicy(first_delay=1.0, reset_after=60.0)
    recovery = Recovery(up_since=0.0)
    assert recovery.failed(10.0, policy) == 1
    recovery.restarted(11.0)
    assert recovery.failed(11.5, policy) == 2  # never got healthy: still the same loop
    recovery.restarted(13.5)
    recovery.healthy(14.0)
    assert recovery.failed(20.0, policy) == 4  # up only 6 s
    recovery.restarted(24.0)
    recovery.healthy(25.0)
    assert recovery.failed(90.0, policy) == 1


def test_an_exit_is_described_by_its_code_or_its_signal() -> None:
    assert describe_exit(3) == "code 3"
    assert describe_exit(-9) == "signal 9"
