"""Acknowledge an input only once its outputs are delivered, resending what failed.

Two Faust behaviours break at-least-once, both found by tests/e2e/test_crash.py:
- Faust acks an event in a `finally` block, so an agent cancelled mid-event (SIGTERM,
  rebalance) still acks it, and `take_events` acks its whole batch that way (a SIGTERM lost
  16 of 1,500 articles).
- A send that fails (the broker restarting: LeaderNotAvailable) only logs, and the commit
  that follows moves past the input anyway (a broker restart lost articles).
So each agent sends through a `Deliveries`, which keeps the inputs in order and acks one
only when every output it led to is acknowledged by the broker; a failed output is sent
again. Acking does not wait in the loop body, so sends still batch in the producer.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("sitrep.delivery")

MAX_PENDING = 2000  # inputs waiting for their outputs before the agent waits too
RETRY_SECONDS = 1.0
ACK_INTERVAL = 0.01  # how long the acker idles when nothing waits


@dataclass
class _Send:
    topic: Any
    key: bytes | None
    value: bytes
    callback: Any
    future: Any


@dataclass
class _Input:
    event: Any
    sends: list[_Send] = field(default_factory=list)


class Deliveries:
    """Outputs per input; inputs are acked in order once all their outputs are delivered."""

    def __init__(self) -> None:
        self._pending: deque[_Input] = deque()
        self._current: _Input | None = None
        self._room = asyncio.Event()

    async def send(self, topic: Any, *, key: bytes | None, value: bytes, callback: Any = None) -> None:
        """Hand one output of the current input to the producer (it batches; nothing waits here)."""
        future = await topic.send(key=key, value=value, callback=callback)
        if self._current is not None:
            self._current.sends.append(_Send(topic, key, value, callback, future))

    async def _settle(self, current: _Input) -> None:
        self._pending.append(current)
        while len(self._pending) > MAX_PENDING:  # back-pressure: wait for the acker
            self._room.clear()
            await self._room.wait()

    async def ack_delivered(self, stream: Any) -> None:
        """Forever: ack inputs from the head once their outputs are delivered; resend failures."""
        while True:
            if not self._pending:
                await asyncio.sleep(ACK_INTERVAL)
                continue
            head = self._pending[0]
            for send in head.sends:
                while send.future is not None:
                    try:
                        await send.future
                        break
                    except Exception as exc:  # refused or timed out (broker restarting): send again
                        log.warning(
                            "resending an output",
                            extra={"event": "resend", "topic": str(send.topic), "error": repr(exc)},
                        )
                        await asyncio.sleep(RETRY_SECONDS)
                        send.future = await send.topic.send(
                            key=send.key, value=send.value, callback=send.callback
                        )
            self._pending.popleft()
            await stream.ack(head.event)
            self._room.set()


async def each_event(stream: Any, deliveries: Deliveries) -> AsyncIterator[Any]:
    """The stream's events; each is acked, in order, once the outputs sent for it through
    `deliveries` are delivered, and never when the loop body is interrupted."""
    unacked = stream.noack()
    acker = asyncio.ensure_future(deliveries.ack_delivered(unacked))
    try:
        async for event in unacked.events():
            current = _Input(event)
            deliveries._current = current
            yield event
            deliveries._current = None
            await deliveries._settle(current)
    finally:
        acker.cancel()
