"""Text fields of the catalog: trimmed, visible, and free of control characters.

`str.strip` leaves zero-width and other invisible characters in place, so a title of
only U+200B passed as non-empty and showed as nothing. A text field here is trimmed of
whitespace and invisible characters at both ends (inside, they may belong to the text:
a zero-width joiner inside an emoji), counts as empty when nothing visible is left,
and refuses control characters (outside a multi-line text's line breaks and tabs) and
unpaired surrogates, which no database or browser stores faithfully.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from annotated_types import GroupedMetadata
from pydantic import AfterValidator, StringConstraints
from pydantic_core import PydanticCustomError

# Format characters (zero-width space/joiners, direction marks, BOM, soft hyphen), spaces
# and separators, and controls: nothing a reader sees at either end of a text.
_INVISIBLE_CATEGORIES = {"Cf", "Zs", "Zl", "Zp", "Cc"}
# Letters and symbols that render as blank (Hangul fillers, the blank Braille pattern,
# the combining grapheme joiner).
_BLANK_CHARACTERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800", "\u034f"}
_LINE_CONTROLS = {"\n", "\r", "\t"}


def is_invisible(char: str) -> bool:
    return char in _BLANK_CHARACTERS or unicodedata.category(char) in _INVISIBLE_CATEGORIES


def strip_invisible(text: str) -> str:
    start, end = 0, len(text)
    while start < end and is_invisible(text[start]):
        start += 1
    while end > start and is_invisible(text[end - 1]):
        end -= 1
    return text[start:end]


def _refuse_unstorable(text: str, multiline: bool) -> None:
    for char in text:
        category = unicodedata.category(char)
        if category == "Cs":
            raise PydanticCustomError("string_unicode", "Input should be a valid string")
        if category == "Cc" and not (multiline and char in _LINE_CONTROLS):
            raise PydanticCustomError(
                "string_control_characters", "String should not contain control characters"
            )


@dataclass(frozen=True)
class Text(GroupedMetadata):
    """`Annotated[str, Text(200)]`: the rules above, with the given lengths."""

    max_length: int
    min_length: int = 1
    multiline: bool = False

    def __iter__(self) -> Iterator[object]:
        yield StringConstraints(
            strip_whitespace=True, min_length=self.min_length, max_length=self.max_length
        )
        yield AfterValidator(self._visible)

    def _visible(self, text: str) -> str:
        _refuse_unstorable(text, self.multiline)
        visible = strip_invisible(text)
        if len(visible) < self.min_length:
            raise PydanticCustomError(
                "string_too_short",
                "String should have at least {min_length} character",
                {"min_length": self.min_length},
            )
        return visible


def trimmed(max_length: int, min_length: int = 1) -> Text:
    """A one-line text field of at most `max_length` characters."""
    return Text(max_length, min_length)


def paragraph(max_length: int) -> Text:
    """A free text that may be empty and may span lines."""
    return Text(max_length, min_length=0, multiline=True)
