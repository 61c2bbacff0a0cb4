"""Replay on the real broker: exactly the window's raw articles come out again, marked."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import orjson
import pytest
from aiokafka import AIOKafkaProducer

from streams.clients import ensure_topics
from streams.config import Settings
from streams.replay import REPLAY_HEADER, replay
from streams.topics import TopicNames
from tests.e2e.conftest import records_to_end

pytestmark = pytest.mark.kafka

BODY = "Russia deployed 300 troops near Kharkiv on Monday, the ministry said."


def at(day: int) -> int:
    return int(datetime(2024, 2, day, 12, tzinfo=UTC).timestamp() * 1000)


async def produce_at(bootstrap: str, topic: str, items: list[tuple[bytes, bytes, int]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for key, value, timestamp_ms in items:
            await producer.send_and_wait(topic, value, key=key, timestamp_ms=timestamp_ms)
    finally:
        await producer.stop()


async def read_with_headers(bootstrap: str, topics: list[str]) -> list[tuple[str, bytes, dict[str, bytes]]]:
    return [(r.topic, r.key, dict(r.headers)) for r in await records_to_end(bootstrap, topics)]


def test_replay_publishes_exactly_the_window_with_the_header(kafka: str) -> None:
    names = TopicNames(f"r{uuid.uuid4().hex[:8]}.")
    asyncio.run(ensure_topics(kafka, names.all(), 4))
    items = [
        (f"art-{day}".encode(), orjson.dumps({"id": f"art-{day}", "body": f"{BODY} Report {day}."}), at(day))
        for day in range(1, 11)
    ]
    items.append((b"bad-5", b"not json", at(5)))  # inside the window: dead-lettered, marked too
    asyncio.run(produce_at(kafka, names.raw, items))
    settings = Settings(bootstrap_servers=kafka, topic_prefix=names.prefix)
    since, until = datetime(2024, 2, 3, tzinfo=UTC), datetime(2024, 2, 7, tzinfo=UTC)

    result = asyncio.run(replay(settings, since, until=until, rate=100.0))

    out = asyncio.run(read_with_headers(kafka, [names.enriched, names.deadletter]))
    enriched = sorted(key for topic, key, _ in out if topic == names.enriched)
    assert enriched == [f"art-{day}".encode() for day in range(3, 7)]
    assert [key for topic, key, _ in out if topic == names.deadletter] == [b"bad-5"]
    assert all(headers.get(REPLAY_HEADER[0]) == REPLAY_HEADER[1] for _, _, headers in out)
    assert (result.enriched, result.dead_lettered) == (4, 1)
    assert result.read - result.skipped == 5
