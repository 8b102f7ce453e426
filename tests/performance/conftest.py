"""Fixtures of the performance tests: the whole system on free ports, database exposed.

`running_stack` (the shared e2e fixture) yields only the gateway; these tests also read
every service's database, and need a stack whose queries are only their own.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from perf_stack import ProfiledStack

from ticketing_common.devstack import StackSettings, Supervisor, build_parts
from ticketing_common.testing.http import free_port
from ticketing_common.testing.plugin import TEST_JWT_KEY

# Every part's port (a part added to the stack later included).
PORTS = [name for name in StackSettings.model_fields if name.endswith("_port")]


@pytest.fixture(scope="module")
def profiled_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProfiledStack]:
    """Every part the way `make dev` runs it, in memory, on free ports."""
    settings = StackSettings.model_validate(
        {
            "data_dir": tmp_path_factory.mktemp("profiled-stack"),
            "in_memory": True,
            "log_level": "WARNING",
            # Payments' reconciler runs every 30 s by default: longer than the scenario.
            "extra_env": {"JWT_KEY": TEST_JWT_KEY, "RECONCILE_SECONDS": "2"},
            **{name: free_port() for name in PORTS},
        }
    )
    supervisor = Supervisor(
        build_parts(settings), settings.data_dir / "logs", "127.0.0.1", lambda _: None
    )
    try:
        supervisor.start_all()
        yield ProfiledStack(f"http://127.0.0.1:{settings.gateway_port}", settings.mongo_uri)
    finally:
        supervisor.stop_all()
