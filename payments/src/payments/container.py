"""What the payments routes reach at request time, wired once in `main.wire`."""

from __future__ import annotations

from dataclasses import dataclass

from payments.context import Payments
from payments.ports import WebhookEvents


@dataclass(frozen=True)
class PaymentsContainer:
    payments: Payments
    webhook_events: WebhookEvents
