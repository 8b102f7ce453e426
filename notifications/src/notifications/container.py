"""What the notifications routes reach at request time, wired once in `main.wire`."""

from __future__ import annotations

from dataclasses import dataclass

from notifications.store.mailbox import DevMailbox


@dataclass(frozen=True)
class NotificationsContainer:
    mailbox: DevMailbox
