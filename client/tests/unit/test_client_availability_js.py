"""static/availability.js under node with a minimal page: a whole `availability` snapshot,
then `changes` frames that name only what changed, as the orders stream sends them, applied
to the seat map's toggle buttons (class, aria-disabled, aria-pressed, accessible name)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import client

SCRIPT = Path(client.__file__).parent / "static" / "availability.js"

# Just the DOM the script touches: seats (toggle buttons), remaining counters, EventSource.
HARNESS = """
const vm = require("vm");
function el(attrs) {
  return { attrs, className: "seat seat--available", textContent: "",
    getAttribute: (k) => (k in attrs ? attrs[k] : null),
    setAttribute: (k, v) => { attrs[k] = String(v); },
    removeAttribute: (k) => { delete attrs[k]; } };
}
const seats = ["A-1", "A-2", "A-3"].map((id) => el({ "data-seat-id": id,
  "aria-label": `Row A, seat ${id.slice(2)}, Stalls, €12.00, available`,
  "aria-pressed": String(id === "A-2") }));
const remaining = el({ "data-remaining-for": "std" });
const listeners = {};
const page = {
  querySelector: (sel) => (sel === "[data-event-id]" ? el({ "data-event-id": "e1" }) : null),
  querySelectorAll: (sel) => {
    if (sel === "[data-seat-id]") return seats;
    if (sel.startsWith("[data-remaining-for=")) return [remaining];
    return [];
  },
  addEventListener: () => {},
};
class EventSource {
  constructor(url) { this.url = url; }
  addEventListener(name, fn) { listeners[name] = fn; }
}
vm.runInNewContext(require("fs").readFileSync(process.argv.at(-2), "utf8"), {
  document: page, window: { EventSource, addEventListener: () => {} }, EventSource,
  CSS: { escape: (s) => s }, console,
});
const frames = JSON.parse(process.argv.at(-1));
const seen = [];
for (const [name, data] of frames) {
  listeners[name]({ data: JSON.stringify(data) });
  seen.push({ seats: seats.map((s) => [s.className, s.attrs["aria-disabled"] === "true",
    s.attrs["aria-pressed"] === "true"]), remaining: remaining.textContent,
    names: seats.map((s) => s.attrs["aria-label"]) });
}
console.log(JSON.stringify(seen));
"""


def run(frames: list[tuple[str, dict[str, object]]]) -> list[dict[str, object]]:
    node = shutil.which("node")
    assert node is not None, "node is needed to run the page script"
    done = subprocess.run(
        [node, "-e", HARNESS, "--", str(SCRIPT), json.dumps(frames)],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    result: list[dict[str, object]] = json.loads(done.stdout)
    return result


def test_a_snapshot_then_changes_frames_update_only_the_named_seats() -> None:
    snapshot = {
        "ticketTypes": [{"id": "std", "remaining": 3}],
        "seats": [{"id": s, "state": "available"} for s in ("A-1", "A-2", "A-3")],
    }
    held = {
        "ticketTypes": [{"id": "std", "sold": 0, "held": 1, "remaining": 2}],
        "seats": [{"id": "A-2", "state": "held"}],
    }
    freed = {
        "ticketTypes": [{"id": "std", "sold": 1, "held": 0, "remaining": 2}],
        "seats": [{"id": "A-2", "state": "available"}, {"id": "A-3", "state": "sold"}],
    }
    first, second, third = run([("availability", snapshot), ("changes", held), ("changes", freed)])
    available = ["seat seat--available", False]
    assert {k: first[k] for k in ("seats", "remaining")} == {
        "seats": [[*available, False], [*available, True], [*available, False]],
        "remaining": "3",
    }
    # The seat someone else took is unselected and unavailable; the others are untouched.
    assert {k: second[k] for k in ("seats", "remaining")} == {
        "seats": [[*available, False], ["seat seat--held", True, False], [*available, False]],
        "remaining": "2",
    }
    assert second["names"][1] == "Row A, seat 2, Stalls, €12.00, held"
    assert third["seats"] == [
        [*available, False],
        [*available, False],
        ["seat seat--sold", True, False],
    ]
    # The accessible name follows the state, so a screen reader hears what sighted people see.
    assert third["names"] == [
        "Row A, seat 1, Stalls, €12.00, available",
        "Row A, seat 2, Stalls, €12.00, available",
        "Row A, seat 3, Stalls, €12.00, sold",
    ]
