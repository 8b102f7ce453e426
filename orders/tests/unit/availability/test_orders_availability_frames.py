"""Frames of the live stream: queued `changes` frames merge into one, and a viewer too
far behind drops its backlog for a whole snapshot."""

from __future__ import annotations

from orders.availability.frames import MAX_BACKLOG, Viewer, merged, sse


def test_merged_frames_keep_each_seat_and_types_latest_entry_and_the_last_id() -> None:
    first = sse(1, "f-1", "changes", {"seats": [{"id": "A-1", "state": "held"}]})
    second = sse(
        2,
        "f-2",
        "changes",
        {
            "status": "ended",
            "seats": [{"id": "A-1", "state": "available"}, {"id": "A-2", "state": "held"}],
        },
    )
    frame = merged([first, second])
    assert (frame.version, frame.id, frame.name) == (2, "f-2", "changes")
    assert frame.payload == {
        "status": "ended",
        "seats": [{"id": "A-1", "state": "available"}, {"id": "A-2", "state": "held"}],
    }
    assert frame.text.startswith("id: f-2\nevent: changes\ndata: ")
    assert merged([first]) is first


async def test_a_viewer_past_the_backlog_limit_is_marked_behind() -> None:
    viewer = Viewer()
    for n in range(MAX_BACKLOG + 1):
        viewer.push(sse(n, f"f-{n}", "changes", {}))
    assert viewer.behind
    frames = await viewer.next(0.01)
    assert frames is not None
    assert [f.version for f in frames] == [MAX_BACKLOG]
    assert await viewer.next(0.01) is None
