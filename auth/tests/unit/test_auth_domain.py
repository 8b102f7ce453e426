"""Sign-up and sign-in rules, without Mongo or NATS."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from auth.domain import SessionEnd, SigninThrottle, User, normalize_email
from ticketing_common.domain_errors import TooManyRequests

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
THROTTLE = SigninThrottle(max_failures=5, window=timedelta(seconds=60))


def test_email_is_trimmed_and_lower_cased() -> None:
    assert normalize_email("  Ada@Example.COM ") == "ada@example.com"


def test_five_failures_in_the_window_are_allowed() -> None:
    failures = [NOW - timedelta(seconds=s) for s in range(4)]
    assert THROTTLE.retry_after(failures, NOW) is None


def test_sixth_attempt_within_a_minute_must_wait_until_the_oldest_failure_leaves() -> None:
    failures = [NOW - timedelta(seconds=s) for s in (50, 40, 30, 20, 10)]
    assert THROTTLE.retry_after(failures, NOW) == 10


def test_wait_is_never_below_one_second() -> None:
    failures = [NOW - timedelta(seconds=59, milliseconds=999)] + [NOW] * 4
    assert THROTTLE.retry_after(failures, NOW) == 1


def test_a_client_budget_of_its_own_is_checked_beside_the_account_budget() -> None:
    throttle = SigninThrottle(
        max_failures=5, window=timedelta(seconds=60), max_failures_per_client=2
    )
    assert throttle.retry_after([NOW, NOW], NOW, throttle.max_failures_per_client) == 60
    throttle.check([NOW] * 4, [NOW], NOW)  # neither budget spent: allowed


def test_the_longer_wait_of_the_two_budgets_is_the_answer() -> None:
    account = [NOW - timedelta(seconds=s) for s in (50, 40, 30, 20, 10)]
    client = [NOW - timedelta(seconds=s) for s in (5, 4, 3, 2, 1)]
    with pytest.raises(TooManyRequests) as refused:
        THROTTLE.check(account, client, NOW)
    assert refused.value.retry_after == 55


def test_user_created_event_carries_id_and_email() -> None:
    user = User("u1", "ada@example.com", "hash", NOW)
    event = user.created_event()
    assert (event.user_id, event.email, event.occurred_at) == ("u1", "ada@example.com", NOW)
    assert "hash" not in event.to_json().decode()


def test_a_session_end_names_the_session_and_the_end_of_its_token() -> None:
    end = SessionEnd("u1", "s1", 2, NOW + timedelta(hours=1))
    event = end.signed_out()
    assert (event.user_id, event.session_id, event.generation) == ("u1", "s1", 2)
    assert (event.everywhere, event.expires_at) == (False, NOW + timedelta(hours=1))
    everywhere = end.signed_out_everywhere(3, NOW, timedelta(hours=8))
    assert (everywhere.everywhere, everywhere.generation) == (True, 3)
    # Any token issued until now may live one lifetime more: the revocation lasts that long.
    assert everywhere.expires_at == NOW + timedelta(hours=8)
