"""Server-sent-event frames of the live availability stream, and each viewer's queue.

A frame is rendered once and the same text goes to every viewer; a viewer reading
slowly finds several queued frames at once and sends them as one. A viewer ended by
a shutdown is sent a `farewell` before the stream closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
from collections import deque
from dataclasses import dataclass, field
from typing import Any

# A viewer this many frames behind is sent a fresh snapshot instead of the backlog.
MAX_BACKLOG = 64
# When a replica stops, its viewers reconnect after a delay in this range (ms): soon, yet
# spread, so they do not all arrive at the next replica in the same instant, and after
# this replica has stopped accepting (the gateway then sends them to another one).
FAREWELL_RETRY_MS = (500, 1500)


@dataclass(frozen=True)
class Frame:
    version: int
    id: str  # `<feed>-<version>`, the SSE `id:`
    name: str  # "availability" (the whole snapshot) or "changes"
    text: str  # the server-sent event, ready to write
    payload: dict[str, Any]


def sse(version: int, frame_id: str, name: str, payload: dict[str, Any]) -> Frame:
    text = f"id: {frame_id}\nevent: {name}\ndata: {json.dumps(payload)}\n\n"
    return Frame(version, frame_id, name, text, payload)


def merged(frames: list[Frame]) -> Frame:
    """Queued `changes` frames as one: for each seat and type, its latest entry."""
    if len(frames) == 1:
        return frames[0]
    entries: dict[str, dict[str, Any]] = {}
    payload: dict[str, Any] = {}
    for frame in frames:
        for key, value in frame.payload.items():
            if isinstance(value, list):
                entries.setdefault(key, {}).update({entry["id"]: entry for entry in value})
            else:
                payload[key] = value
    payload.update({key: list(by_id.values()) for key, by_id in entries.items()})
    last = frames[-1]
    return sse(last.version, last.id, "changes", payload)


def farewell() -> str:
    """The last words of a stream ended by a shutdown: when to reconnect (no event)."""
    retry = random.randint(*FAREWELL_RETRY_MS)  # noqa: S311 - spreads load, guards nothing
    return f": server stopping, reconnect\nretry: {retry}\n\n"


@dataclass(eq=False)  # kept in a set, by identity
class Viewer:
    frames: deque[Frame] = field(default_factory=deque)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    behind: bool = False  # dropped its backlog: needs a whole snapshot
    ended: bool = False  # the server is stopping: the stream closes

    def end(self) -> None:
        self.ended = True
        self.ready.set()

    def push(self, frame: Frame) -> None:
        if len(self.frames) >= MAX_BACKLOG:
            self.frames.clear()
            self.behind = True
        self.frames.append(frame)
        self.ready.set()

    async def next(self, quiet_seconds: float) -> list[Frame] | None:
        """Every frame queued since the last call, or None after `quiet_seconds` of silence."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.ready.wait(), quiet_seconds)
        self.ready.clear()
        frames = list(self.frames)
        self.frames.clear()
        return frames or None
