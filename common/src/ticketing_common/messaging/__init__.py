"""JetStream plumbing: the stream, a de-duplicating publisher, durable listeners."""

from ticketing_common.messaging.listener import Listener
from ticketing_common.messaging.publisher import Publisher
from ticketing_common.messaging.redelivery import RetryLater
from ticketing_common.messaging.stream import connect_nats, ensure_stream

__all__ = ["Listener", "Publisher", "RetryLater", "connect_nats", "ensure_stream"]
