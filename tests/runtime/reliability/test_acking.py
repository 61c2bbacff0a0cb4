"""Inputs are acked in order, only once their outputs are delivered; failed outputs are resent;
an output that is never delivered makes the worker give up (exit for its supervisor)."""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from streams.runtime.reliability.acking import Deliveries, each_event
from tests.fake_topics import FakeTopic


class FakeStream:
    def __init__(self, events: list[str]) -> None:
        self.events_ = events
        self.acked: list[str] = []

    def noack(self) -> FakeStream:
        return self

    async def events(self) -> AsyncIterator[str]:
        for event in self.events_:
            yield event
        await asyncio.sleep(3600)  # a stream does not end: it waits for the next event

    async def ack(self, event: str) -> None:
        self.acked.append(event)


def quick(**kwargs: Any) -> Deliveries:
    return Deliveries("test", retry_seconds=0.01, **kwargs)


async def test_failed_output_is_resent_and_inputs_acked_in_order() -> None:
    stream, topic, deliveries = FakeStream(["a", "b", "c", "d"]), FakeTopic(failures=1), quick()
    async for event in each_event(stream, deliveries):
        if event == "d":  # while d is processed, the acker settles a, b and c
            await wait_until(lambda: len(stream.acked) == 3)
            break
        await deliveries.send(topic, key=None, value=event.encode())
    assert sorted(topic.delivered) == [b"a", b"b", b"c"]
    assert topic.delivered[-1] == b"a"  # a's first send failed and was sent again
    assert stream.acked == ["a", "b", "c"]
    assert deliveries.resent == 1


async def test_an_input_with_several_outputs_waits_for_all_of_them() -> None:
    stream, good, flaky, deliveries = FakeStream(["a", "b"]), FakeTopic(), FakeTopic(failures=2), quick()
    async for event in each_event(stream, deliveries):
        if event == "b":
            await wait_until(lambda: bool(stream.acked))
            break
        await deliveries.send(good, key=None, value=b"enriched")
        await deliveries.send(
            flaky, key=None, value=b"event", partition=3, headers=[("sitrep-replay", b"1")], timestamp=1.5
        )
    assert stream.acked == ["a"]
    assert flaky.delivered == [b"event"]  # after two failures
    assert flaky.partitions == [3, 3, 3] and good.partitions == [None]  # resends keep the partition
    assert flaky.marks == [([("sitrep-replay", b"1")], 1.5)] * 3  # and the headers and timestamp
    assert good.marks == [(None, None)]


async def test_a_refused_send_is_retried_in_the_loop_body() -> None:
    stream, topic, deliveries = FakeStream(["a", "b"]), FakeTopic(refusals=2), quick()
    async for event in each_event(stream, deliveries):
        if event == "b":
            await wait_until(lambda: bool(stream.acked))
            break
        await deliveries.send(topic, key=None, value=b"x")
    assert topic.delivered == [b"x"]
    assert stream.acked == ["a"]


async def test_an_interrupted_body_leaves_its_input_unacked() -> None:
    stream, deliveries = FakeStream(["a", "b", "c"]), quick()
    async for event in each_event(stream, deliveries):
        if event == "b":
            await wait_until(lambda: bool(stream.acked))
            break  # as when the agent is cancelled mid-event
    await asyncio.sleep(0.05)
    assert stream.acked == ["a"]


async def test_an_input_without_outputs_is_acked_too() -> None:
    stream, deliveries = FakeStream(["a", "b"]), quick()
    async for event in each_event(stream, deliveries):
        if event == "b":
            await wait_until(lambda: bool(stream.acked))
            break
    assert stream.acked == ["a"]


async def test_back_pressure_holds_the_body_while_too_many_inputs_wait() -> None:
    stream, topic = FakeStream([str(i) for i in range(10)]), FakeTopic(hang=True)
    deliveries = Deliveries("test", max_pending=3, deadline_seconds=3600)
    seen: list[str] = []

    async def consume() -> None:
        async for event in each_event(stream, deliveries):
            seen.append(event)
            await deliveries.send(topic, key=None, value=b"x")

    task = asyncio.ensure_future(consume())
    await asyncio.sleep(0.1)
    assert seen == ["0", "1", "2", "3"]  # the fourth settles past the limit and waits
    assert stream.acked == []
    task.cancel()


async def test_an_output_never_delivered_gives_up() -> None:
    reasons: list[str] = []
    stream, topic = FakeStream(["a", "b"]), FakeTopic(failures=10_000)
    deliveries = Deliveries("test", retry_seconds=0.01, deadline_seconds=0.2, give_up=reasons.append)
    async for event in each_event(stream, deliveries):
        if event == "b":
            await wait_until(lambda: bool(reasons))
            break
        await deliveries.send(topic, key=None, value=b"x")
    assert stream.acked == []
    assert "no delivery" in reasons[0] or "unanswered" in reasons[0]


async def test_an_unanswered_output_gives_up() -> None:
    reasons: list[str] = []
    stream, topic = FakeStream(["a", "b"]), FakeTopic(hang=True)
    deliveries = Deliveries("test", deadline_seconds=0.2, give_up=reasons.append)
    async for event in each_event(stream, deliveries):
        if event == "b":
            await wait_until(lambda: bool(reasons), timeout=3.0)
            break
        await deliveries.send(topic, key=None, value=b"x")
    assert stream.acked == []
    assert "unanswered" in reasons[0]


async def wait_until(condition: Callable[[], bool], timeout: float = 2.0) -> None:
    """Poll (the acker runs in the background) until the condition holds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            pytest.fail("condition not met in time")
        await asyncio.sleep(0.01)


async def test_a_failed_send_leaves_no_exception_unread() -> None:
    """The log said "FutureMessage exception was never retrieved" at shutdown after an outage."""
    loop, unread = asyncio.get_running_loop(), []
    loop.set_exception_handler(lambda _, context: unread.append(str(context.get("message"))))
    deliveries = quick()
    # Sent outside an input, so that only the future's own callback reads its outcome.
    await deliveries.send(FakeTopic(failures=1), key=None, value=b"x")
    for _ in range(3):
        await asyncio.sleep(0)  # the failure settles the producer's future, then the message's
    del deliveries
    gc.collect()
    loop.set_exception_handler(None)
    assert not [m for m in unread if "never retrieved" in m], unread


class Fetched:
    """The stream's buffer: empty once every event fetched so far was handed over."""

    def __init__(self, stream: BufferedStream) -> None:
        self.stream = stream

    def empty(self) -> bool:
        stream = self.stream
        if stream.arrivals is None:
            return stream.left_in_fetch == 0
        upcoming = stream.next_fetch < len(stream.fetches)
        return not upcoming or stream.arrivals[stream.next_fetch] > asyncio.get_running_loop().time()


class BufferedStream(FakeStream):
    """Events arrive in fetches, as from Faust's channel queue: each fetch when the one before is
    handed over, or at its time in `arrivals` (seconds from the start)."""

    def __init__(self, fetches: list[list[str]], arrivals: list[float] | None = None) -> None:
        super().__init__([event for fetch in fetches for event in fetch])
        self.fetches, self.arrivals = fetches, arrivals
        self.left_in_fetch = self.next_fetch = 0
        self.channel = type("Channel", (), {"queue": Fetched(self)})()

    async def events(self) -> AsyncIterator[str]:
        loop = asyncio.get_running_loop()
        if self.arrivals is not None:
            self.arrivals = [loop.time() + at for at in self.arrivals]
        for n, fetch in enumerate(self.fetches):
            if self.arrivals is not None:
                await asyncio.sleep(max(self.arrivals[n] - loop.time(), 0))
            self.next_fetch = n + 1
            for i, event in enumerate(fetch):
                self.left_in_fetch = len(fetch) - i - 1
                yield event
        await asyncio.sleep(3600)


async def test_a_batch_ends_with_its_fetch_and_only_then_are_its_inputs_acked() -> None:
    stream, topic, deliveries = BufferedStream([["a", "b", "c"], ["d", "e"], ["f"]]), FakeTopic(), quick()
    ends: list[tuple[list[str], list[str]]] = []  # (events seen, events acked) at each batch end
    seen: list[str] = []

    async def end_batch() -> None:
        await asyncio.sleep(0.05)  # the acker runs meanwhile: it must not ack this batch's inputs
        ends.append((list(seen), list(stream.acked)))

    async for event in each_event(stream, deliveries, end_batch=end_batch, linger_seconds=0):
        if event == "f":
            await wait_until(lambda: len(stream.acked) == 5)
            break
        seen.append(event)
        await deliveries.send(topic, key=None, value=event.encode())
    assert ends == [(["a", "b", "c"], []), (["a", "b", "c", "d", "e"], ["a", "b", "c"])]
    assert stream.acked == ["a", "b", "c", "d", "e"]


async def test_a_batch_is_cut_at_max_batch() -> None:
    stream, deliveries = BufferedStream([["a", "b", "c", "d", "e"]]), quick()
    sizes: list[int] = []
    seen: list[str] = []

    async def end_batch() -> None:
        sizes.append(len(seen) - sum(sizes))

    async for event in each_event(stream, deliveries, end_batch=end_batch, max_batch=2, linger_seconds=0):
        seen.append(event)
        if event == "e":
            break
    assert sizes == [2, 2]  # e's batch was interrupted: it never ended, so e stays unacked
    await wait_until(lambda: len(stream.acked) == 4)
    assert stream.acked == ["a", "b", "c", "d"]


async def test_an_idle_stage_lingers_so_that_events_close_in_time_share_a_batch() -> None:
    # a, b and c come 10 ms apart, each in a fetch of its own; d comes long after the linger.
    stream = BufferedStream([["a"], ["b"], ["c"], ["d"]], arrivals=[0.0, 0.01, 0.02, 1.0])
    deliveries, seen, ends = quick(), [], []

    async def end_batch() -> None:
        ends.append(list(seen))

    async for event in each_event(stream, deliveries, end_batch=end_batch, linger_seconds=0.3):
        seen.append(event)
        if event == "d":
            break
    assert ends == [["a", "b", "c"]]  # one batch, ended when the linger ran out with nothing fetched


async def test_a_stopped_stream_leaves_no_reference_to_what_it_will_not_ack() -> None:
    """Faust waits on a clean stop until its weak set of unacked messages empties: an unfinished
    batch held here would hang the stop until the worker is killed."""
    stream, topic, deliveries = BufferedStream([["a", "b", "c"]]), FakeTopic(hang=True), quick()

    async def end_batch() -> None:
        pass

    async with contextlib.aclosing(each_event(stream, deliveries, end_batch=end_batch)) as events:
        async for event in events:
            await deliveries.send(topic, key=None, value=event.encode())
            if event == "b":
                break  # the agent stops mid-batch: a is held, b is current
    assert stream.acked == []
    assert deliveries.pending == 0 and not deliveries._held and deliveries._current is None
