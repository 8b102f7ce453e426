"""A scenario's row: the figures every scenario reports, what else it measured, and
whether its checks held (with the reason when one did not)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The figures of every row, in the order of the summary table (None: not applicable).
STANDARD = (
    "requests",
    "created_201",
    "errors_5xx",
    "acknowledged_lost",
    "duplicated",
    "oversold",
    "leaked_units",
    "recover_seconds",
)


@dataclass
class Verdict:
    failures: list[str] = field(default_factory=list)

    def check(self, holds: bool, otherwise: str) -> bool:
        """Note `otherwise` as a failure unless `holds` → `holds`."""
        if not holds:
            self.failures.append(otherwise)
        return holds

    def row(
        self,
        standard: dict[str, Any],
        measured: dict[str, Any],
        meaning: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """The row; `meaning` says what a figure is where its name alone does not."""
        unknown = set(standard) - set(STANDARD)
        assert not unknown, f"not standard figures: {unknown}"
        return {
            **{name: standard.get(name) for name in STANDARD},
            "pass": not self.failures,
            "reason": "; ".join(self.failures) or "every check held",
            **measured,
            **({"meaning": meaning} if meaning else {}),
        }


def broken_row(reason: str) -> dict[str, Any]:
    """The row of a scenario the harness could not finish."""
    verdict = Verdict()
    verdict.check(False, reason)
    return verdict.row({}, {})
