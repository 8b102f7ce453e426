"""Ended sessions, kept by every service until their tokens would have expired anyway.

A session token carries a session id and the user's session generation. Signing out
revokes the one session id; "sign out everywhere" raises the user's generation, which
voids every token of a lower one. Each service fills this set from the `user.signed-out`
events on the stream (see `revocation_feed`), so a token dies everywhere at once, not
when it expires. Entries are forgotten when the last token they void has expired, which
bounds the set by the sign-outs of one token lifetime.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ticketing_common.events import UserSignedOut, utc_now

# How often expired entries are swept out, at most.
SWEEP_INTERVAL = timedelta(minutes=1)


@dataclass(frozen=True)
class SessionClaims:
    """What a token says about its session."""

    user_id: str
    session_id: str
    generation: int


class Revocations:
    """The sessions refused by this process; lives on `app.state.revocations`."""

    def __init__(self, clock: Callable[[], datetime] = utc_now) -> None:
        self._clock = clock
        self._sessions: dict[str, datetime] = {}
        # user id -> (lowest generation still valid, when every older token has expired)
        self._generations: dict[str, tuple[int, datetime]] = {}
        self._next_sweep = clock() + SWEEP_INTERVAL

    def __len__(self) -> int:
        return len(self._sessions) + len(self._generations)

    def apply(self, event: UserSignedOut) -> None:
        """Refuse what `event` ended; applying it again (a redelivery) changes nothing."""
        now = self._clock()
        if event.expires_at <= now:
            return
        self._sessions[event.session_id] = max(
            event.expires_at, self._sessions.get(event.session_id, event.expires_at)
        )
        if event.everywhere:
            generation, until = self._generations.get(event.user_id, (0, event.expires_at))
            self._generations[event.user_id] = (
                max(generation, event.generation),
                max(until, event.expires_at),
            )
        self._sweep(now)

    def is_revoked(self, claims: SessionClaims) -> bool:
        if claims.session_id in self._sessions:
            return True
        entry = self._generations.get(claims.user_id)
        return entry is not None and claims.generation < entry[0]

    def _sweep(self, now: datetime) -> None:
        if now < self._next_sweep:
            return
        self._next_sweep = now + SWEEP_INTERVAL
        self._sessions = {sid: until for sid, until in self._sessions.items() if until > now}
        self._generations = {
            user: entry for user, entry in self._generations.items() if entry[1] > now
        }
