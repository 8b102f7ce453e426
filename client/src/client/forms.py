"""API errors placed next to the form fields they name."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from client.gateway import ApiError


@dataclass
class FormErrors:
    """Errors split by field: `errors.of("price")` beside the input, `errors.general` on top.

    An API field like "ticketTypes.0.price" belongs to the form field "ticketTypes";
    a field the form does not show is listed in `general` so no error is ever hidden.
    """

    fields: frozenset[str] = frozenset()
    items: list[ApiError] = field(default_factory=list)

    @classmethod
    def of_api(cls, errors: Iterable[ApiError], fields: Iterable[str]) -> FormErrors:
        return cls(frozenset(fields), list(errors))

    @classmethod
    def single(cls, message: str, field_name: str | None = None) -> FormErrors:
        return cls(frozenset({field_name} if field_name else ()), [ApiError(message, field_name)])

    def _form_field(self, api_field: str | None) -> str | None:
        if not api_field:
            return None
        for name in self.fields:
            if api_field == name or api_field.startswith((f"{name}.", f"{name}[")):
                return name
        return None

    def of(self, name: str) -> list[str]:
        return [e.message for e in self.items if self._form_field(e.field) == name]

    @property
    def general(self) -> list[str]:
        return [
            f"{e.message} ({e.field})" if e.field else e.message
            for e in self.items
            if self._form_field(e.field) is None
        ]

    def __bool__(self) -> bool:
        return bool(self.items)


NO_ERRORS = FormErrors()
