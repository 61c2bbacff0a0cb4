"""Reprocess `articles.raw` from a point in time with the current classifier, through the
live worker's claims and alerts stages.

A plain aiokafka loop with no consumer group (partitions assigned, nothing committed), so
it never steals partitions from the live worker's group nor moves its offsets. Each raw
record with since <= timestamp < until goes through `streams.domain.enrichment.process`, the same
function the classify agent runs: its enriched article goes to `articles.enriched`, and its
claims messages to the internal claims topic, on the partitions the classify agent would
pick. The live worker's claims agent folds each event into its claim as for live traffic:
an article that already carries the claim (same id, or the same text) is a repeat, so a
replay adds no corroboration and raises no alert twice; a claim new to the table (a new
classifier found it, a raised limit let its article through, or it expired) is published
on `events.<category>` and goes through the alert rules in event time. What replay sends,
and what the worker publishes from it, carries the header `sitrep-replay: 1`;
`classifier_version` in the payload tells which classifier made it. A raw record rejected
again is counted in the summary by reason, not dead-lettered a second time. It stops at
the end offsets taken at start, so it ends while live traffic keeps coming.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition

from streams.cli.progress import Progress
from streams.config import Settings
from streams.contracts.headers import REPLAY_HEADER
from streams.contracts.topics import TopicNames
from streams.domain.enrichment import Limits, Source, process
from streams.errors import UsageError
from streams.kafka.clients import topic_partitions
from streams.kafka.security import kafka_options, start_client


class ReplayError(Exception):
    """A replay that cannot run as asked (the CLI prints it on one line, exit 2)."""


@dataclass(slots=True)
class ReplayResult:
    """What a replay read and sent, for the CLI's summary and the benchmark.

    The events go to the claims stage; how many of them the worker publishes (new claims)
    or counts as repeats shows in its metrics, not here: that happens in the worker.
    """

    read: int = 0
    skipped: int = 0  # in the offset range but outside [since, until) by timestamp
    enriched: int = 0  # articles classified again and sent to articles.enriched
    events: int = 0  # their events, sent to the claims stage
    claims_messages: int = 0  # the messages that carried them (one per claims partition per article)
    rejected: int = 0  # refused again: counted here, not dead-lettered a second time
    rejected_by_reason: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def count_rejected(self, reason: str) -> None:
        self.rejected += 1
        self.rejected_by_reason[reason] = self.rejected_by_reason.get(reason, 0) + 1


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
    result = ReplayResult()
    started = time.monotonic()
    consumer, producer = await _start_clients(settings)
    try:
        claim_partitions = await _claim_partitions(consumer, names)
        republish = _Republisher(
            producer, names, settings, Limits.from_settings(settings), claim_partitions, result
        )
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
                    pending += await republish(record)
                    if rate:
                        await _pace(started, result.read - result.skipped, rate)
                if await consumer.position(tp) >= stop:
                    consumer.pause(tp)
                    del remaining[tp]
            await asyncio.gather(*pending)
        await producer.flush()
    finally:
        await producer.stop()
        await consumer.stop()
    progress.finish()
    result.seconds = time.monotonic() - started
    return result


async def _claim_partitions(consumer: AIOKafkaConsumer, names: TopicNames) -> int:
    """The claims topic's partition count: claims must land where the worker's claims table keeps them."""
    try:
        return len(await topic_partitions(consumer, [names.claims]))
    except UsageError:
        raise ReplayError(
            f"topic {names.claims!r} does not exist, and replay sends its events there for the worker's "
            "claims stage; start `sitrep worker` with the same SITREP_TOPIC_PREFIX first"
        ) from None


@dataclass(slots=True)
class _Republisher:
    """Processes one raw record and sends its enriched article and claims, marked as a replay.

    A rejected record sends nothing: its dead letter went out when it was first read.
    """

    producer: AIOKafkaProducer
    names: TopicNames
    settings: Settings
    limits: Limits
    claim_partitions: int
    result: ReplayResult

    async def __call__(self, record: ConsumerRecord[bytes, bytes]) -> list[asyncio.Future[object]]:
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
            self.names,
            self.settings.max_article_bytes,
            claim_partitions=self.claim_partitions,
            limits=self.limits,
        )
        if outcome.rejected is not None:
            self.result.count_rejected(outcome.rejected.reason)
            return []
        self.result.enriched += 1
        sent = []
        for output in outcome.outputs:
            if output.topic == self.names.claims:
                self.result.claims_messages += 1
                self.result.events += len(orjson.loads(output.value)["claims"])
            sent.append(
                await self.producer.send(
                    output.topic,
                    output.value,
                    key=output.key,
                    partition=output.partition,
                    headers=[REPLAY_HEADER],
                )
            )
        return sent


async def _pace(started: float, done: int, rate: float) -> None:
    """Sleep until `done` articles are due at `rate` per second."""
    ahead = started + done / rate - time.monotonic()
    if ahead > 0:
        await asyncio.sleep(ahead)
