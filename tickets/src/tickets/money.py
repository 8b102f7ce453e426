"""Money rules of the catalog: the currencies it sells in and the highest price it takes.

Conversions between major and minor units are `ticketing_common.money`'s.
"""

from __future__ import annotations

from decimal import Decimal

# A ceiling keeps prices far inside 64-bit integers, even summed over 100,000 units.
MAX_PRICE_MAJOR = Decimal("1000000")
SUPPORTED_CURRENCIES = frozenset(
    {"usd", "eur", "gbp", "cad", "aud", "nzd", "chf", "sek", "nok", "dkk", "pln", "czk"}
)
