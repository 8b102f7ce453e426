"""Text fields: invisible characters do not count as text, control characters are refused."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import BaseModel, ValidationError

from tickets.api.text import paragraph, strip_invisible, trimmed


class Sample(BaseModel):
    title: Annotated[str, trimmed(20)]
    notes: Annotated[str, paragraph(50)] = ""


@pytest.mark.parametrize(
    "title",
    [
        "\u200b",  # zero-width space
        "\u200b\u200c\u200d\u2060\ufeff",  # and joiners, word joiner, BOM
        " \u00a0\u3000 ",  # spaces of other widths
        "\u200e\u200f",  # direction marks
        "\u3164\u2800",  # Hangul filler, blank Braille pattern
        "\u00ad",  # soft hyphen
    ],
)
def test_a_title_of_only_invisible_characters_is_empty(title: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Sample(title=title)
    [error] = refused.value.errors()
    assert (error["type"], error["ctx"]) == ("string_too_short", {"min_length": 1})


def test_invisible_characters_are_trimmed_from_the_ends_but_kept_inside() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one emoji, joined by ZWJs
    assert Sample(title=f"\u200b {family} Gig\u200b").title == f"{family} Gig"
    assert strip_invisible("\ufeffA\u200bB\u200b") == "A\u200bB"


@pytest.mark.parametrize("title", ["Line\nbreak", "Bell\x07", "Esc\x1b[31m", "Null\x00"])
def test_control_characters_are_refused_in_a_one_line_text(title: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Sample(title=title)
    assert refused.value.errors()[0]["type"] == "string_control_characters"


def test_a_paragraph_may_span_lines_and_be_empty_but_has_no_other_controls() -> None:
    assert Sample(title="T", notes="One\r\n\tTwo").notes == "One\r\n\tTwo"
    assert Sample(title="T", notes="\u200b").notes == ""
    with pytest.raises(ValidationError):
        Sample(title="T", notes="Bell\x07")


def test_unpaired_surrogates_are_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        Sample(title="bad \ud800 text")
    assert refused.value.errors()[0]["type"] == "string_unicode"
