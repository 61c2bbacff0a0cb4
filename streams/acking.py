"""Acknowledge an event only once its outputs are handed to the producer.

Faust acks an event in a `finally` block, so an agent cancelled mid-event (SIGTERM,
rebalance) still acks it, and `take_events` acks its whole batch that way: the offset
is then committed although the outputs were never sent. Found by tests/e2e/test_crash.py
(SIGTERM lost 16 of 1,500 articles). Here the ack happens after the caller's loop body
returns, and not at all when the body is interrupted.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any


async def each_event(stream: Any) -> AsyncIterator[Any]:
    """The stream's events, each acked after the `async for` body that received it completes."""
    unacked = stream.noack()
    async for event in unacked.events():
        yield event
        await unacked.ack(event)
