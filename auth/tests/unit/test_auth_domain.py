"""Sign-up and sign-in rules, without Mongo or NATS."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from auth.domain import SigninThrottle, User, normalize_email

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


def test_user_created_event_carries_id_and_email() -> None:
    user = User("u1", "ada@example.com", "hash", NOW)
    event = user.created_event()
    assert (event.user_id, event.email, event.occurred_at) == ("u1", "ada@example.com", NOW)
    assert "hash" not in event.to_json().decode()
