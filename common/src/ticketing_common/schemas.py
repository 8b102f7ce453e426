"""The base of every public JSON model: snake_case in Python, camelCase on the wire."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class CamelModel(BaseModel):
    """Reads camelCase (and snake_case), writes camelCase when dumped by alias."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)
