"""Accessibility checks for the browser tests: axe-core, installed from npm for the session.

axe-core is pinned here and fetched with npm at test time (nothing vendored); when npm
cannot fetch it the tests that ask for it fail, never skip. The pages' Content-Security-
Policy forbids inline scripts, so axe is evaluated through the DevTools protocol (which
the policy does not govern) rather than added as a `<script>` tag: the pages stay under
their real policy, Stripe.js included.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

AXE_CORE_VERSION = "4.14.1"
BLOCKING_IMPACTS = ("serious", "critical")

AxeCheck = Callable[[Page, str], list[dict[str, Any]]]


@pytest.fixture(scope="session")
def axe_source(tmp_path_factory: pytest.TempPathFactory) -> str:
    npm = shutil.which("npm")
    assert npm is not None, "npm is needed to install axe-core for the accessibility checks"
    prefix = tmp_path_factory.mktemp("axe")
    done = subprocess.run(
        [
            npm,
            "install",
            "--no-save",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(prefix),
            f"axe-core@{AXE_CORE_VERSION}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"npm could not install axe-core:\n{done.stderr[-2000:]}"
    script = prefix / "node_modules" / "axe-core" / "axe.min.js"
    installed = json.loads((script.parent / "package.json").read_text())["version"]
    assert installed == AXE_CORE_VERSION
    return Path(script).read_text()


@pytest.fixture(scope="session")
def axe_check(axe_source: str) -> AxeCheck:
    """`axe_check(page, "checkout")`: asserts no serious or critical violation on the page.

    Returns every violation (minor and moderate ones included) for the test to look at.
    """

    def check(page: Page, what: str) -> list[dict[str, Any]]:
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(f"{axe_source}\n;void 0")
        violations: list[dict[str, Any]] = page.evaluate(
            """async () => (await axe.run(document)).violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}))"""
        )
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"accessibility of {what}: {json.dumps(blocking, indent=1)}"
        return violations

    return check
