"""When to restart a part that exited: exponential back-off, as Kubernetes does for a pod.

A part that crashes right after each restart waits 1 s, 2 s, 4 s ... up to a cap, so a
broken service neither spins the machine nor floods the terminal; once it has stayed
healthy for a while, its next crash counts as the first again.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RestartPolicy:
    first_delay: float = 1.0
    max_delay: float = 30.0
    # Healthy this long since its last (re)start, a part's next crash starts over at first_delay.
    reset_after: float = 60.0
    # A restarted part not healthy by then is killed and tried again after the next delay.
    start_timeout: float = 90.0

    def delay(self, failures: int) -> float:
        # The exponent stops growing long before a float would overflow (a night of crashes).
        doublings = min(max(0, failures - 1), 32)
        return float(min(self.max_delay, self.first_delay * 2**doublings))


DEFAULT_RESTARTS = RestartPolicy()


@dataclass
class Recovery:
    """Where one part stands: up, waiting out its back-off, or coming up again."""

    up_since: float
    failures: int = 0
    restart_at: float | None = None
    restarted_at: float | None = None

    @property
    def waiting(self) -> bool:
        return self.restart_at is not None

    @property
    def coming_up(self) -> bool:
        return self.restarted_at is not None

    def due(self, now: float) -> bool:
        return self.restart_at is not None and now >= self.restart_at

    def overdue(self, now: float, policy: RestartPolicy) -> bool:
        return self.restarted_at is not None and now - self.restarted_at > policy.start_timeout

    def failed(self, now: float, policy: RestartPolicy) -> float:
        """Note an exit (or a restart that never got healthy); returns the delay before the next."""
        stayed_up = not self.coming_up and now - self.up_since >= policy.reset_after
        self.failures = 1 if stayed_up else self.failures + 1
        delay = policy.delay(self.failures)
        self.restart_at = now + delay
        self.restarted_at = None
        return delay

    def restarted(self, now: float) -> None:
        self.restart_at = None
        self.restarted_at = now

    def healthy(self, now: float) -> float:
        """Note the restarted part answers; returns how long it took to come up."""
        took = now - (self.restarted_at or now)
        self.restarted_at = None
        self.up_since = now
        return took


def describe_exit(returncode: int) -> str:
    """`code 3`, or `signal 9` for a process a signal ended (Popen gives it negated)."""
    if returncode < 0:
        return f"signal {-returncode}"
    return f"code {returncode}"


def format_delay(seconds: float) -> str:
    return f"{seconds:g}s"
