"""Ended sessions are refused until their tokens would have expired, then forgotten."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ticketing_common.events import UserSignedOut
from ticketing_common.revocation import SWEEP_INTERVAL, Revocations, SessionClaims

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def _signed_out(session: str, *, everywhere: bool = False, generation: int = 0) -> UserSignedOut:
    return UserSignedOut(
        user_id="u1",
        session_id=session,
        everywhere=everywhere,
        generation=generation,
        expires_at=NOW + timedelta(hours=1),
    )


def test_a_signed_out_session_is_refused_and_others_are_not() -> None:
    revocations = Revocations(Clock())
    revocations.apply(_signed_out("s1"))
    assert revocations.is_revoked(SessionClaims("u1", "s1", 0))
    assert not revocations.is_revoked(SessionClaims("u1", "s2", 0))


def test_signing_out_everywhere_refuses_every_older_generation_only() -> None:
    revocations = Revocations(Clock())
    revocations.apply(_signed_out("s1", everywhere=True, generation=2))
    assert revocations.is_revoked(SessionClaims("u1", "s7", 1))
    assert not revocations.is_revoked(SessionClaims("u1", "s8", 2))
    assert not revocations.is_revoked(SessionClaims("u2", "s9", 0))
    # A late, older "everywhere" does not lower the bar.
    revocations.apply(_signed_out("s0", everywhere=True, generation=1))
    assert revocations.is_revoked(SessionClaims("u1", "s7", 1))


def test_applying_an_event_again_changes_nothing() -> None:
    revocations = Revocations(Clock())
    revocations.apply(_signed_out("s1"))
    revocations.apply(_signed_out("s1"))
    assert len(revocations) == 1


def test_an_already_expired_revocation_is_not_kept() -> None:
    clock = Clock()
    revocations = Revocations(clock)
    clock.now = NOW + timedelta(hours=2)
    revocations.apply(_signed_out("s1"))
    assert len(revocations) == 0


def test_revocations_are_forgotten_once_their_tokens_have_expired() -> None:
    clock = Clock()
    revocations = Revocations(clock)
    revocations.apply(_signed_out("s1"))
    revocations.apply(_signed_out("s2", everywhere=True, generation=1))
    clock.now = NOW + timedelta(hours=1) + SWEEP_INTERVAL
    revocations.apply(
        UserSignedOut(user_id="u2", session_id="s3", expires_at=clock.now + timedelta(hours=1))
    )
    assert len(revocations) == 1
