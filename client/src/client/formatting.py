"""How money, dates and the checkout countdown are shown (pure functions, no I/O).

The API sends money as a number in major units (e.g. 20.5) with a currency code;
it is formatted through Decimal so 0.1 + 0.2 style float noise never reaches a page.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£", "cad": "CA$", "aud": "A$"}
# Currencies without minor units (Stripe's list, the common ones).
_ZERO_DECIMAL = {"jpy", "krw", "vnd", "clp", "isk", "huf", "twd", "ugx"}


def money(amount: object, currency: str | None = "usd") -> str:
    """`20.5, "usd"` -> "$20.50"; an unknown currency gets its code: "20.50 CHF"."""
    code = (currency or "usd").lower()
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return "—"
    if not value.is_finite():
        return "—"
    places = Decimal(1) if code in _ZERO_DECIMAL else Decimal("0.01")
    shown = value.quantize(places, rounding=ROUND_HALF_UP)
    sign = "-" if shown < 0 else ""
    digits = f"{abs(shown):,}"
    symbol = _SYMBOLS.get(code)
    return f"{sign}{symbol}{digits}" if symbol else f"{sign}{digits} {code.upper()}"


def parse_datetime(value: object) -> datetime | None:
    """An ISO-8601 string from the API (with `Z` or an offset) -> an aware datetime."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def format_datetime(value: object) -> str:
    """ "2030-05-01T19:30:00Z" -> "Wed 1 May 2030, 19:30 UTC"."""
    parsed = parse_datetime(value)
    if parsed is None:
        return "—"
    utc = parsed.astimezone(UTC)
    return f"{utc:%a} {utc.day} {utc:%b %Y, %H:%M} UTC"


def seconds_left(expires_at: object, now: datetime | None = None) -> int:
    """Whole seconds until `expires_at`, never negative (0 once the hold has ended)."""
    deadline = parse_datetime(expires_at)
    if deadline is None:
        return 0
    current = now or datetime.now(UTC)
    remaining = (deadline - current).total_seconds()
    # Rounded down: the page must never promise a second the hold no longer has.
    return max(0, int(remaining))


def format_countdown(seconds: int) -> str:
    """125 -> "2:05"; 3725 -> "1:02:05"; the same rule as static/countdown.js."""
    seconds = max(0, seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"
