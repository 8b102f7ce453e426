"""A bounded schemathesis run against a service app: no 5xx, answers as documented.

The app runs in-process on a real socket (`serve`), on the embedded servers of the test
session; the generated requests (valid ones, then invalid ones) go out from a worker
thread, since the requests library blocks while the server answers on the event loop.
Each operation gets a few examples with a fixed seed, so a run takes seconds and finds
the same things every time. Requests carry a signed-in session, so routes go past 401.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import requests
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ticketing_common.testing.http import serve

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
SEED = 20261130
# Per operation and generation mode.
MAX_EXAMPLES = 5
REQUEST_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class ContractRun:
    """What to send: a cookie header of a signed-in user, and operations left out."""

    headers: dict[str, str] = field(default_factory=dict)
    # "GET /api/availability/{event_id}/stream": a response that never ends by itself.
    skip: frozenset[str] = frozenset()
    max_examples: int = MAX_EXAMPLES


def _check_operation(operation: Any, url: str, run: ContractRun, mode: GenerationMode) -> None:
    session = requests.Session()

    @seed(SEED)
    @settings(
        max_examples=run.max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case: Any) -> None:
        case.call_and_validate(
            base_url=url,
            session=session,
            headers=run.headers,
            checks=CHECKS,
            timeout=REQUEST_TIMEOUT_SECONDS,
        )

    check()


def _operations(document: dict[str, Any], run: ContractRun) -> Iterable[Any]:
    schema = schemathesis.openapi.from_dict(document)
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            raise result.err()  # the document itself is broken: nothing to fuzz
        operation = result.ok()
        if f"{operation.method.upper()} {operation.path}" not in run.skip:
            yield operation


def _described(error: BaseException) -> str:
    if isinstance(error, BaseExceptionGroup):
        return f"{error}\n" + "\n".join(f"  - {_described(e)}" for e in error.exceptions)
    return str(error)


def check_contract(url: str, document: dict[str, Any], run: ContractRun) -> list[str]:
    """Run every operation of `document` against `url`; the failures, one line each."""
    failures = []
    for operation in _operations(document, run):
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _check_operation(operation, url, run, mode)
            except Unsatisfiable:
                pass  # an operation without input has no invalid form
            except (Exception, BaseExceptionGroup) as exc:  # schemathesis groups its findings
                failures.append(f"{operation.label} ({mode.value}): {_described(exc)}")
    return failures


async def check_app_contract(app: FastAPI, run: ContractRun) -> list[str]:
    """Serve `app` (lifespan included) and run the contract check against it."""
    async with serve(app) as url:
        return await asyncio.to_thread(check_contract, url, app.openapi(), run)
