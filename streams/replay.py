"""Reprocess `articles.raw` from a point in time, beside the live worker, not through it.

A plain aiokafka loop with no consumer group (partitions assigned, nothing committed), so
it never steals partitions from the live worker's group nor moves its offsets. Each raw
record with since <= timestamp < until goes through `streams.processing.process`, the same
function the classify agent runs, and its enriched article (or dead letter) is published
with the header `sitrep-replay: 1`; `classifier_version` in the payload tells which
classifier made it. It stops at the end offsets taken at start, so it ends while live
traffic keeps coming.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition

from streams.clients import topic_partitions
from streams.config import Settings
from streams.processing import Limits, Source, process
from streams.progress import Progress
from streams.security import kafka_options, start_client
from streams.topics import TopicNames

REPLAY_HEADER = ("sitrep-replay", b"1")


@dataclass(slots=True)
class ReplayResult:
    """What a replay read and published, for the CLI's summary and the benchmark."""

    read: int = 0
    enriched: int = 0
    dead_lettered: int = 0
    skipped: int = 0  # in the offset range but outside [since, until) by timestamp
    seconds: float = 0.0

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def parse_when(text: str) -> datetime:
    """An RFC 3339 / ISO 8601 date or date-time; naive values are taken as UTC."""
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


async def _bounds(
    consumer: AIOKafkaConsumer, partitions: list[TopicPartition], since: datetime, until: datetime | None
) -> dict[TopicPartition, tuple[int, int]]:
    """Per partition, [first offset at or after `since`, the end at start or the first at `until`)."""
    ends = await consumer.end_offsets(partitions)
    starts = await consumer.offsets_for_times(dict.fromkeys(partitions, _ms(since)))
    stops = dict(ends)
    if until is not None:
        for tp, found in (await consumer.offsets_for_times(dict.fromkeys(partitions, _ms(until)))).items():
            if found is not None:
                stops[tp] = min(stops[tp], found.offset)
    return {
        tp: (found.offset if found is not None else ends[tp], stops[tp])
        for tp, found in starts.items()
        if found is not None and found.offset < stops[tp]
    }


async def _start_clients(settings: Settings) -> tuple[AIOKafkaConsumer, AIOKafkaProducer]:
    """A group-less consumer and a producer; a bad password or CA exits with its one-line cause."""
    options = kafka_options(settings)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers,
        group_id=None,
        enable_auto_commit=False,
        max_partition_fetch_bytes=max(settings.max_article_bytes * 2, 1024 * 1024),
        **options,
    )
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.bootstrap_servers,
        linger_ms=settings.producer_linger_ms,
        max_batch_size=256 * 1024,
        max_request_size=max(2 * settings.max_article_bytes, 1_000_000),
        **options,
    )
    await start_client(consumer, settings.bootstrap_servers, options)
    try:
        await start_client(producer, settings.bootstrap_servers, options)
    except SystemExit:
        await consumer.stop()
        raise
    return consumer, producer


async def replay(
    settings: Settings,
    since: datetime,
    *,
    until: datetime | None = None,
    rate: float | None = None,
    progress: Progress | None = None,
    batch: int = 500,
) -> ReplayResult:
    """Replay raw articles with timestamps in [since, until), at most `rate` articles/s."""
    names = TopicNames(settings.topic_prefix)
    limits = Limits.from_settings(settings)
    result = ReplayResult()
    started = time.monotonic()
    consumer, producer = await _start_clients(settings)
    try:
        bounds = await _bounds(consumer, await topic_partitions(consumer, [names.raw]), since, until)
        total = sum(stop - start for start, stop in bounds.values())
        progress = progress or Progress(total, "replay")
        progress.total = max(total, 1)
        consumer.assign(list(bounds))
        for tp, (start, _) in bounds.items():
            consumer.seek(tp, start)
        since_ms, until_ms = _ms(since), _ms(until) if until else None
        remaining = dict(bounds)
        while remaining:
            fetched = await consumer.getmany(*remaining, timeout_ms=1000, max_records=batch)
            pending: list[asyncio.Future[object]] = []
            for tp, records in fetched.items():
                stop = remaining[tp][1]
                for record in records:
                    if record.offset >= stop:
                        break
                    result.read += 1
                    progress.advance(1, 1)
                    if record.timestamp < since_ms or (until_ms is not None and record.timestamp >= until_ms):
                        result.skipped += 1
                        continue
                    sent, rejected = await _republish(producer, record, names, settings, limits)
                    pending += sent
                    result.dead_lettered += rejected
                    if rate:
                        await _pace(started, result.read - result.skipped, rate)
                if await consumer.position(tp) >= stop:
                    consumer.pause(tp)
                    del remaining[tp]
            await asyncio.gather(*pending)
        result.enriched = result.read - result.skipped - result.dead_lettered
        await producer.flush()
    finally:
        await producer.stop()
        await consumer.stop()
    progress.finish()
    result.seconds = time.monotonic() - started
    return result


async def _republish(
    producer: AIOKafkaProducer,
    record: ConsumerRecord[bytes, bytes],
    names: TopicNames,
    settings: Settings,
    limits: Limits,
) -> tuple[list[asyncio.Future[object]], bool]:
    """Process one raw record; send its enriched article or dead letter, marked as a replay.

    Claims are not built (claim_partitions=None): the live claims table already holds them,
    and a replay must not count as corroboration.
    """
    source = Source(
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        key=record.key,
        timestamp=record.timestamp / 1000,
    )
    outcome = process(
        record.value,
        source,
        names,
        settings.max_article_bytes,
        claim_partitions=None,
        limits=limits,
    )
    sent = [
        await producer.send(output.topic, output.value, key=output.key, headers=[REPLAY_HEADER])
        for output in outcome.outputs
    ]
    return sent, outcome.rejected is not None


async def _pace(started: float, done: int, rate: float) -> None:
    """Sleep until `done` articles are due at `rate` per second."""
    ahead = started + done / rate - time.monotonic()
    if ahead > 0:
        await asyncio.sleep(ahead)
