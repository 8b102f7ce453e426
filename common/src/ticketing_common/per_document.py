"""Writes that give each document its own values in one statement.

A bulk of N single-document updates is N statements, each its own transaction in the
embedded database; one `update_many` whose pipeline looks up each document's values by
its `_id` is one. `each(ids, values)` is that look-up: the value at the position of the
document's `_id` in `ids` (values are taken literally, never as expressions).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ticketing_common.mongo import Document


def each(ids: Sequence[Any], values: Sequence[Any]) -> Document:
    """The document's own entry of `values` (parallel to `ids`), as an expression."""
    position = {"$indexOfArray": [{"$literal": list(ids)}, "$_id"]}
    return {"$arrayElemAt": [{"$literal": list(values)}, position]}
