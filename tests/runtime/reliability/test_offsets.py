"""The mended consumer: an offset counts as done only once a stream processed its message.

Each test drives the consumer's bookkeeping as Faust's drain and streams do, without a broker,
and checks the offset a commit would take (`_new_offset`)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiokafka.structs import ConsumerRecord
from faust.types import TP
from faust.types.tuples import ConsumerMessage

from streams.config import Settings
from streams.runtime.app import create_app
from streams.runtime.reliability.offsets import ProcessedOffsetsConsumer

TOPIC = "articles.raw"
RAW = TP(TOPIC, 0)


@pytest.fixture
def consumer(tmp_path: Path) -> Iterator[Any]:
    consumer = create_app(Settings(data_dir=tmp_path)).app.consumer
    assert isinstance(consumer, ProcessedOffsetsConsumer)
    consumer.app.topics._acking_topics.add(TOPIC)  # as once the agents subscribe
    consumer.resume_flow()
    yield consumer


def message(offset: int, *, taken: bool = True) -> ConsumerMessage:
    """A message of RAW; `taken`: a stream took it (Faust marks it tracked then)."""
    fetched = ConsumerMessage(TOPIC, 0, offset, 0.0, 0, [], b"k", b"v", None, tp=RAW)
    fetched.tracked = taken
    return fetched


def test_a_processed_message_is_committed(consumer: Any) -> None:
    consumer._committed_offset[RAW] = 10
    assert consumer.ack(message(10))
    assert consumer._new_offset(RAW) == 11


def test_a_skipped_message_is_not_acked(consumer: Any) -> None:
    """A stream skips a message fetched before a rebalance and acks it; it is not done."""
    consumer._committed_offset[RAW] = 10
    assert not consumer.ack(message(10, taken=False))
    assert consumer._new_offset(RAW) is None
    assert consumer.ack(message(10))  # the copy fetched again, processed
    assert consumer._new_offset(RAW) == 11


def test_a_skipped_message_is_not_passed_by_the_commit(consumer: Any) -> None:
    consumer._committed_offset[RAW] = 10
    consumer.ack(message(12, taken=False))
    consumer.ack(message(10))
    consumer.ack(message(11))
    assert consumer._new_offset(RAW) == 12


async def test_a_gap_holds_the_missing_offsets_not_the_message_handed_over(consumer: Any) -> None:
    """Read 10, then 13: 11 and 12 hold no message (transaction markers); 13 is not processed yet."""
    consumer._committed_offset[RAW] = 10
    consumer.ack(message(10))
    await consumer._add_gap(RAW, 11, 13)  # as Faust's drain calls it
    consumer.ack(message(14))
    assert consumer._new_offset(RAW) == 13


async def test_a_gap_lets_the_commit_pass_once_the_message_after_it_is_done(consumer: Any) -> None:
    consumer._committed_offset[RAW] = 10
    consumer.ack(message(10))
    await consumer._add_gap(RAW, 11, 13)
    consumer.ack(message(13))
    assert consumer._new_offset(RAW) == 14


async def test_a_seek_forgets_the_gaps_past_it(consumer: Any) -> None:
    async def seek_to_committed() -> dict[TP, int]:
        return {RAW: 10}

    consumer.seek_to_committed = seek_to_committed
    await consumer._add_gap(RAW, 11, 13)
    await consumer.perform_seek()
    consumer.ack(message(10))
    consumer.ack(message(13))
    assert consumer._new_offset(RAW) == 11


class FetchedBatch:
    """Stands in for the broker: one batch of RAW messages at 20-24; committed offset 10."""

    def __init__(self, consumer: Any) -> None:
        self.seeks = 0
        self.fetching = asyncio.Event()  # set while a fetch waits for `answer`
        self.answer = asyncio.Event()
        self.answer.set()
        self.broker_away = False
        self.consumer = consumer
        consumer._getmany = self.fetched
        consumer._get_active_partitions = lambda: {RAW}
        consumer.highwater = lambda tp: 25
        consumer.seek_to_committed = self.seek_to_committed

    async def fetched(self, active_partitions: Any, timeout: float) -> Any:
        self.fetching.set()
        await self.answer.wait()
        return {RAW: [ConsumerRecord(TOPIC, 0, o, 0, 0, b"k", b"v", None, 1, 1, []) for o in range(20, 25)]}

    async def seek_to_committed(self) -> dict[TP, int]:
        self.seeks += 1
        if self.broker_away:
            raise ConnectionError("broker away")
        return {RAW: 10}

    async def drain(self, seek_at: int) -> list[int]:
        """What Faust's drain does with the batch, with a seek while message `seek_at` is handed
        over (the liveness watchdog restarting the fetching, or a rebalance)."""
        handed_over = []
        async for tp, message in self.consumer.getmany(timeout=1.0):
            handed_over.append(message.offset)
            if message.offset == seek_at:
                await self.consumer.perform_seek()
            self.consumer._read_offset[tp] = message.offset  # the drain, once it handed it over
        return handed_over


async def test_a_seek_stops_the_batch_fetched_before_it(consumer: Any) -> None:
    """The seek's read offset wins over the message handed over meanwhile, and the rest of
    the old batch is not handed over (it would be read past the seek's position)."""
    batch = FetchedBatch(consumer)
    assert await batch.drain(seek_at=21) == [20, 21]
    assert consumer._read_offset[RAW] == 10


async def test_a_batch_fetched_while_a_seek_ran_is_read_again(consumer: Any) -> None:
    """Fetched from the old position or the new one: not known, so none of it is handed over
    and the consumer seeks again (the batch is read again from the committed offset)."""
    batch = FetchedBatch(consumer)
    batch.answer.clear()
    fetching = asyncio.ensure_future(consumer.getmany(timeout=1.0).__anext__())
    await batch.fetching.wait()
    await consumer.perform_seek()
    batch.answer.set()
    with pytest.raises(StopAsyncIteration):
        await fetching
    assert batch.seeks == 2
    assert consumer._read_offset[RAW] == 10


async def test_nothing_is_fetched_until_the_seek_again_succeeds(consumer: Any) -> None:
    batch = FetchedBatch(consumer)
    batch.answer.clear()
    fetching = asyncio.ensure_future(consumer.getmany(timeout=1.0).__anext__())
    await batch.fetching.wait()
    await consumer.perform_seek()
    batch.broker_away = True
    batch.answer.set()
    with pytest.raises(StopAsyncIteration):
        await fetching
    batch.fetching.clear()
    assert await batch.drain(seek_at=-1) == []  # the seek fails again: no fetch at all
    assert not batch.fetching.is_set()
    batch.broker_away = False
    assert await batch.drain(seek_at=-1) == [20, 21, 22, 23, 24]


async def test_the_wait_for_unacked_messages_ends_and_commits_what_is_done(
    consumer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A message a stopped stream took is never acked: the stop waits WAIT_EMPTY_SECONDS, not forever,
    and its commit does not pass that message."""
    monkeypatch.setattr("streams.runtime.reliability.offsets.WAIT_EMPTY_SECONDS", 0.2)
    commits: list[int | None] = []

    async def commit(*args: Any, **kwargs: Any) -> bool:
        commits.append(consumer._new_offset(RAW))
        return True

    monkeypatch.setattr(consumer, "commit", commit)
    monkeypatch.setattr(consumer, "_loop", asyncio.get_running_loop())  # the fixture's app made its own
    consumer._committed_offset[RAW] = 10
    done, held = message(10), message(11)  # `held`: a reference the stopped stream still keeps
    consumer.track_message(done)
    consumer.track_message(held)
    consumer.ack(done)
    await asyncio.wait_for(consumer.wait_empty(), timeout=5)
    assert held in consumer._unacked_messages
    assert len(commits) >= 2 and max(c or 0 for c in commits) == 11  # the wait, and the final commit
