"""Validation problems as sentences that name their field: "Title must not be empty".

A client that shows only `message` (the original ticketing client does) must still say
what is wrong with what. Each pydantic error type has a sentence about the field's
label, the last named element of its location (`startsAt` -> "Starts at"); messages
raised by a model's own validators are already written for people and stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

_WHOLE_NUMBER = "{label} must be a whole number"
_NUMBER = "{label} must be a number"
_DATE_TIME = "{label} must be a date and time, e.g. 2030-01-31T20:00:00Z"
_OBJECT = "{label} must be an object"
_LIST = "{label} must be a list"

# Sentences by pydantic error type; `{label}` is the field, the rest comes from the error.
SENTENCES: dict[str, str] = {
    "missing": "{label} is required",
    "string_too_long": "{label} must be at most {max_length} characters",
    "too_long": "{label} must have at most {max_length} items",
    "greater_than": "{label} must be greater than {gt}",
    "greater_than_equal": "{label} must be at least {ge}",
    "less_than": "{label} must be less than {lt}",
    "less_than_equal": "{label} must be at most {le}",
    "int_parsing": _WHOLE_NUMBER,
    "int_type": _WHOLE_NUMBER,
    "int_from_float": _WHOLE_NUMBER,
    "int_parsing_size": "{label} is too large",
    "float_parsing": _NUMBER,
    "float_type": _NUMBER,
    "decimal_parsing": _NUMBER,
    "decimal_type": _NUMBER,
    "finite_number": _NUMBER,
    "decimal_max_places": "{label} must have at most {decimal_places} decimal places",
    "decimal_max_digits": "{label} has too many digits",
    "decimal_whole_digits": "{label} has too many digits",
    "bool_parsing": "{label} must be true or false",
    "bool_type": "{label} must be true or false",
    "string_type": "{label} must be text",
    "string_unicode": "{label} must be valid text",
    "string_control_characters": "{label} must not contain control characters",
    "string_pattern_mismatch": "{label} is not in the expected format",
    "literal_error": "{label} must be {expected}",
    "enum": "{label} must be {expected}",
    "datetime_parsing": _DATE_TIME,
    "datetime_type": _DATE_TIME,
    "datetime_from_date_parsing": _DATE_TIME,
    "timezone_aware": "{label} must include a time zone, e.g. 2030-01-31T20:00:00Z",
    "timezone_naive": "{label} must not include a time zone",
    "dict_type": _OBJECT,
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "list_type": _LIST,
    "tuple_type": _LIST,
    "set_type": _LIST,
    "iterable_type": _LIST,
    "extra_forbidden": "{label} is not allowed here",
    "json_invalid": "The request body is not valid JSON",
    "json_type": "{label} must be JSON",
}
# Where a location names no field at all.
WHOLE_BODY = "Request body"
# Union members and wrappers pydantic adds to a location: "int", "list[str]", "function-after[...]".
_TYPE_TAG = re.compile(r"^(int|str|float|bool|list|dict|decimal|none)$|[\[\]\(\)-]")


def field_label(loc: Sequence[int | str]) -> str:
    """The last named element of a location, as words: ("body", "startsAt") -> "Starts at"."""
    names = [
        part for part in loc[1:] if isinstance(part, str) and part and not _TYPE_TAG.search(part)
    ]
    if not names:
        return WHOLE_BODY
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", names[-1]).replace("_", " ").strip()
    return words[:1].upper() + words[1:].lower()


def human_message(error: Mapping[str, Any]) -> str:
    """One sentence for one pydantic error, naming the field it is about."""
    kind = str(error.get("type", ""))
    label = field_label(tuple(error.get("loc", ())))
    context = dict(error.get("ctx") or {})
    raw = str(error.get("msg", "Invalid value"))
    if kind == "value_error":
        return _custom_message(label, raw)
    if kind in ("string_too_short", "too_short"):
        return _too_short(kind, label, int(context.get("min_length", 1)))
    sentence = SENTENCES.get(kind)
    if sentence is None:
        return f"{label}: {raw[:1].lower()}{raw[1:]}"
    try:
        return sentence.format(label=label, **context)
    except (KeyError, IndexError, ValueError):
        return f"{label}: {raw[:1].lower()}{raw[1:]}"


def _too_short(kind: str, label: str, minimum: int) -> str:
    if minimum <= 1:
        return f"{label} must not be empty"
    unit = "characters" if kind == "string_too_short" else "items"
    return f"{label} must have at least {minimum} {unit}"


def _custom_message(label: str, raw: str) -> str:
    message = raw.removeprefix("Value error, ")
    if message.startswith("value is not a valid email address"):
        return f"{label} must be a valid email address"
    return message
