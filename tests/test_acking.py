"""Inputs are acked in order, only once their outputs are delivered; failed outputs are resent."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import streams.acking
from streams.acking import Deliveries, each_event


class FlakyTopic:
    """Its first send fails (as during a broker restart); later sends are delivered."""

    def __init__(self) -> None:
        self.delivered: list[bytes] = []
        self.failures = 1

    async def send(self, *, key: bytes | None, value: bytes, callback: Any = None) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self.failures:
            self.failures -= 1
            future.set_exception(ConnectionError("leader not available"))
        else:
            self.delivered.append(value)
            future.set_result(None)
        return future


class FakeStream:
    def __init__(self, events: list[str]) -> None:
        self.events_ = events
        self.acked: list[str] = []

    def noack(self) -> FakeStream:
        return self

    async def events(self) -> AsyncIterator[str]:
        for event in self.events_:
            yield event

    async def ack(self, event: str) -> None:
        self.acked.append(event)


async def test_failed_output_is_resent_and_inputs_acked_in_order(monkeypatch: Any) -> None:
    monkeypatch.setattr(streams.acking, "RETRY_SECONDS", 0.01)
    stream, topic, deliveries = FakeStream(["a", "b", "c", "d"]), FlakyTopic(), Deliveries()
    async for event in each_event(stream, deliveries):
        if event == "d":  # while d is processed, the acker settles a, b and c
            await wait_until(lambda: len(stream.acked) == 3)
            break
        await deliveries.send(topic, key=None, value=event.encode())
    assert topic.delivered == [b"b", b"c", b"a"]  # a's first send failed and was sent again
    assert stream.acked == ["a", "b", "c"]


async def test_an_interrupted_body_leaves_its_input_unacked() -> None:
    stream, deliveries = FakeStream(["a", "b"]), Deliveries()
    async for event in each_event(stream, deliveries):
        if event == "b":
            await wait_until(lambda: bool(stream.acked))
            break  # as when the agent is cancelled mid-event
    assert stream.acked == ["a"]


async def wait_until(condition: Callable[[], bool]) -> None:
    """Poll (the acker runs in the background) for up to 2 s."""
    for _ in range(200):
        if condition():
            return
        await asyncio.sleep(0.01)
