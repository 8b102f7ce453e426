"""Search without a text index: every event keeps a lower-cased array of word prefixes.

`searchTerms` holds each word of the name, venue and category with all its prefixes
(so "jazz" is found by "j", "ja", "jaz" and "jazz"), then description words until a
cap keeps the index small. A query matches when every query word is one of the
event's terms: an exact `$all` match on a multikey index, which both MongoDB and
SecantusDB answer from the index.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Longer query words are cut to this length, so they still match as prefixes.
MAX_PREFIX = 15
MAX_TERMS = 400
MAX_QUERY_WORDS = 8
_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """Lower-cased words with accents removed ("Beyoncé's" -> ["beyonce", "s"])."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _WORD.findall(plain)


def prefixes(word: str) -> list[str]:
    return [word[:n] for n in range(1, min(len(word), MAX_PREFIX) + 1)]


def build_search_terms(primary: Iterable[str], secondary: Iterable[str] = ()) -> list[str]:
    """Prefixes of the primary texts' words first, then of the secondary texts', capped."""
    terms: dict[str, None] = {}  # ordered set: the cap keeps the most important terms
    for texts in (primary, secondary):
        for text in texts:
            for word in words(text):
                for prefix in prefixes(word):
                    if len(terms) >= MAX_TERMS:
                        return list(terms)
                    terms.setdefault(prefix)
    return list(terms)


def query_terms(q: str) -> list[str]:
    """The terms a query must all match, longest (most selective) first."""
    unique = {word[:MAX_PREFIX] for word in words(q)}
    return sorted(unique, key=lambda term: (-len(term), term))[:MAX_QUERY_WORDS]
