"""The envelope every event carries and the camelCase JSON all events share."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from ticketing_common.events.subjects import Subject


def new_event_id() -> str:
    return uuid.uuid4().hex


def utc_now() -> datetime:
    return datetime.now(UTC)


class CamelModel(BaseModel):
    """camelCase on the wire, snake_case in Python; unknown fields are kept out, not fatal."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="ignore", frozen=True
    )


class Event(CamelModel):
    """Base of every event: `id` doubles as the `Nats-Msg-Id` for broker de-duplication.

    Changes to a payload are additive; a breaking change gets a new subject.
    """

    subject: ClassVar[Subject]

    id: str = Field(default_factory=new_event_id, min_length=1)
    occurred_at: AwareDatetime = Field(default_factory=utc_now)
    schema_version: int = 1

    def to_json(self) -> bytes:
        return self.model_dump_json(by_alias=True).encode()

    def to_document(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)
