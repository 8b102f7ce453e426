"""What the flash sale is made of: its sizes, its loops, and the buyers who take part."""

from __future__ import annotations

from dataclasses import dataclass

QUANTITY = 1_000  # one general-admission type of this many tickets
REQUESTS = 2_000  # single-ticket holds, one per buyer: QUANTITY of them must be refused
LOOPS = (50, 10)  # concurrent buyers of a closed loop, one run each
READERS = 5  # availability pollers while the 50-buyer run goes on
# Runs of each empty/preloaded loop (the two stores taking turns) and of the seated sale:
# rates on this machine vary by a fifth between runs of one commit, so the run with the
# median hold rate is reported, beside every run's rate.
REPEATS = 3
PRICE = 49.5  # major units, as the API takes it
PASSWORD = "flash-sale-password-1"

# The realistic history a preloaded store starts with.
HISTORY_ORDERS = 100_000
HISTORY_USERS = 20_000
HISTORY_EVENTS = 1_000
BATCH = 5_000  # documents per insert_many

# The expiry wave: holds this long (HOLD_SECONDS_OVERRIDE) on an event that ends this
# long after the first can expire, so every expiresAt falls within the wave.
WAVE_HOLDS = 1_000
WAVE_HOLD_SECONDS = 20
WAVE_SPREAD_SECONDS = 15
WAVE_BUYERS = 50

# What the broker-side figures follow: the consumers of the hold's events.
CONSUMING_SERVICES = ("tickets", "payments", "expiration")
ACTIVE_STATUSES = ("created", "awaiting:payment", "complete")


@dataclass(frozen=True)
class Buyer:
    """A buyer and the session cookie they are signed in with."""

    user_id: str
    email: str
    session: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Cookie": f"session={self.session}"}
