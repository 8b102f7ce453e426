"""Unit tests: search words, prefixes and query terms."""

from __future__ import annotations

from tickets.domain.search import MAX_TERMS, build_search_terms, prefixes, query_terms, words


def test_words_are_lower_cased_without_accents_or_punctuation() -> None:
    assert words("Beyoncé's WORLD-Tour, 2030!") == ["beyonce", "s", "world", "tour", "2030"]


def test_prefixes_are_capped() -> None:
    assert prefixes("jazz") == ["j", "ja", "jaz", "jazz"]
    assert len(prefixes("a" * 40)) == 15


def test_search_terms_put_primary_words_first_and_stop_at_the_cap() -> None:
    terms = build_search_terms(["Jazz Night"], ["word" + str(n) for n in range(500)])
    assert terms[:4] == ["j", "ja", "jaz", "jazz"]
    assert "night" in terms
    assert len(terms) == MAX_TERMS


def test_query_terms_are_unique_and_most_selective_first() -> None:
    assert query_terms("  jazz  Berlin jazz ") == ["berlin", "jazz"]
    assert query_terms("!!!") == []
