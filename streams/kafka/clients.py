"""Plain aiokafka clients for the CLI: ingest (produce files) and tail (print topics)."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from itertools import chain
from typing import Any, TextIO

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError  # type: ignore[import-untyped]

from streams.cli.inputs import InputItem
from streams.cli.tail import json_value
from streams.config import ConfigError, Settings
from streams.errors import UsageError
from streams.kafka.security import kafka_options, start_client

MAX_IN_FLIGHT = 1000

log = logging.getLogger("sitrep.topics")


class SendError(Exception):
    """The broker did not take `item` (the first such in input order); `error` is aiokafka's."""

    def __init__(self, item: InputItem, error: KafkaError) -> None:
        super().__init__(f"{item.position}: {type(error).__name__}: {error}")
        self.item = item
        self.error = error


async def produce_items(
    bootstrap: str,
    topic: str,
    items: Iterable[InputItem],
    security: Settings | None = None,
    *,
    max_request_size: int = 8 * 1024 * 1024,
    delivered: Callable[[InputItem], None] = lambda _: None,
) -> int:
    """Send every item, batched by the producer; returns how many were acknowledged.

    `delivered` is called for each acknowledged item in input order, also when a send fails
    (SendError) or the task is cancelled (Ctrl-C): the producer is flushed first, so the caller
    knows the first item the broker does not have, where a rerun can resume."""
    options = kafka_options(security)
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        linger_ms=10,
        max_batch_size=256 * 1024,
        max_request_size=max_request_size,
        **options,
    )
    await start_client(producer, bootstrap, options)
    sent = 0
    pending: deque[tuple[InputItem, asyncio.Future[object]]] = deque()
    try:
        for item in items:
            try:
                pending.append((item, await producer.send(topic, item.payload, key=item.key)))
            except KafkaError as exc:  # refused before sending, e.g. over max_request_size
                raise SendError(item, exc) from None
            if len(pending) >= MAX_IN_FLIGHT:
                sent += await _settle(pending, delivered)
        sent += await _settle(pending, delivered)
    finally:
        await producer.stop()  # sends what is still batched
        while pending and _acknowledged(pending[0][1]):
            delivered(pending.popleft()[0])
    return sent


def _acknowledged(future: asyncio.Future[object]) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None


async def _settle(
    pending: deque[tuple[InputItem, asyncio.Future[object]]], delivered: Callable[[InputItem], None]
) -> int:
    count = 0
    while pending:
        item, future = pending[0]
        try:
            await asyncio.shield(future)  # a Ctrl-C cancels the wait, not the send
        except KafkaError as exc:
            raise SendError(item, exc) from None
        pending.popleft()
        delivered(item)
        count += 1
    return count


async def tail(
    bootstrap: str,
    topics: list[str],
    *,
    from_beginning: bool,
    limit: int | None,
    idle_timeout: float | None,
    keep: Callable[[Any], bool] = lambda _: True,
    render: Callable[[ConsumerRecord[bytes, bytes]], str] | None = None,
    out: TextIO = sys.stdout,
    security: Settings | None = None,
) -> int:
    """Print each message that `keep` accepts, one line each (its JSON value by default); stop after
    `limit` printed messages in all (over every partition) or `idle_timeout` seconds of quiet."""
    options = kafka_options(security)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest" if from_beginning else "latest",
        **options,
    )
    await start_client(consumer, bootstrap, options)
    printed = 0
    try:
        partitions = await topic_partitions(consumer, topics)
        consumer.assign(partitions)
        if from_beginning:
            await consumer.seek_to_beginning(*partitions)
        else:
            await consumer.seek_to_end(*partitions)
        while limit is None or printed < limit:
            timeout_ms = int(idle_timeout * 1000) if idle_timeout else 1000
            batches = await consumer.getmany(timeout_ms=timeout_ms, max_records=500)
            if not batches and idle_timeout:
                break
            for record in chain.from_iterable(batches.values()):
                if limit is not None and printed >= limit:
                    break
                if keep(decoded(record.value)):
                    out.write((render(record) if render else format_value(record.value)) + "\n")
                    printed += 1
            out.flush()
    finally:
        await consumer.stop()
    return printed


async def topic_partitions(consumer: AIOKafkaConsumer, topics: list[str]) -> list[TopicPartition]:
    """Every partition of the topics, refreshing metadata for topics created a moment ago."""
    partitions: list[TopicPartition] = []
    for topic in topics:
        for _ in range(50):
            found = consumer.partitions_for_topic(topic)
            if found:
                partitions.extend(TopicPartition(topic, p) for p in sorted(found))
                break
            await consumer._client.force_metadata_update()  # no public refresh call
            await asyncio.sleep(0.1)
        else:
            raise UsageError(f"topic {topic!r} does not exist; check the name (and SITREP_TOPIC_PREFIX)")
    return partitions


def decoded(value: bytes | None) -> Any:
    """A message value as JSON, or None when it is not JSON."""
    try:
        return orjson.loads(value) if value is not None else None
    except orjson.JSONDecodeError:
        return None


def format_value(value: bytes | None) -> str:
    """A message value as one JSON line: as sent when it is JSON, else a JSON string."""
    return orjson.dumps(json_value(value)).decode()


async def ensure_topics(
    bootstrap: str,
    names: list[str],
    partitions: int,
    security: Settings | None = None,
    configs: dict[str, dict[str, str]] | None = None,
    *,
    replication_factor: int | None = None,
) -> None:
    """Create the topics that do not exist yet, with the topic configs given by name (compaction
    for changelogs); warn about existing ones whose partitions differ from `partitions`.

    Without `replication_factor` the broker's `default.replication.factor` and
    `min.insync.replicas` apply (replication factor -1, KIP-464); with it, min.insync.replicas
    follows `min_insync_replicas`. A topic the broker refuses to create raises TopicSetupError.
    """
    options = kafka_options(security)
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **options)
    await start_client(admin, bootstrap, options)
    try:
        existing = set(await admin.list_topics())
        present = [n for n in names if n in existing]
        if present:
            warn_partition_mismatch(await admin.describe_topics(present), partitions)
        configs = configs or {}
        replicas = -1 if replication_factor is None else replication_factor
        extra = (
            {} if replication_factor is None else {"min.insync.replicas": str(min_insync_replicas(replicas))}
        )
        missing = [
            new_topic(n, partitions, replicas, {**configs.get(n, {}), **extra})
            for n in names
            if n not in existing
        ]
        if missing:
            response = await admin.create_topics(missing)
            check_created(response.to_object()["topic_errors"], replication_factor)
    finally:
        await admin.close()


def new_topic(name: str, partitions: int, replicas: int, configs: dict[str, str]) -> Any:
    """aiokafka's NewTopic, which takes replication factor -1 only beside an (empty) replica
    assignment; empty, the broker places the replicas as it does for any other count."""
    from aiokafka.admin import NewTopic

    return NewTopic(
        name, partitions, replicas, replica_assignments={} if replicas == -1 else None, topic_configs=configs
    )


class TopicSetupError(ConfigError):
    """The broker refused to create a topic the worker needs (replication factor, ACLs, name)."""


TOPIC_ALREADY_EXISTS = 36  # another worker created it a moment ago: fine
INVALID_REPLICATION_FACTOR = 38


def check_created(topic_errors: list[dict[str, Any]], replication_factor: int | None) -> None:
    """Raise on the first topic the broker did not create; aiokafka returns the errors, never raises."""
    for error in topic_errors:
        code, topic, reason = error["error_code"], error["topic"], error.get("error_message") or ""
        if code in (0, TOPIC_ALREADY_EXISTS):
            continue
        if code == INVALID_REPLICATION_FACTOR:
            raise TopicSetupError(
                f"cannot create topic {topic!r} with SITREP_TOPIC_REPLICATION_FACTOR="
                f"{replication_factor if replication_factor is not None else '(broker default)'}: "
                f"{reason.split(':')[-1].strip() or 'more replicas than brokers'}; "
                "set it to at most the number of brokers"
            )
        raise TopicSetupError(f"cannot create topic {topic!r}: {reason or f'Kafka error code {code}'}")


def min_insync_replicas(replication_factor: int) -> int:
    """Acks=all writes need this many replicas in sync: with RF >= 2 a replica may be down and
    writes go on, and never more than 2 are required (RF 1 -> 1, 2 -> 1, 3 -> 2, 5 -> 2)."""
    return max(1, min(replication_factor - 1, 2))


def warn_partition_mismatch(described: list[dict[str, Any]], partitions: int) -> None:
    """One log line naming the existing topics whose partition count is not the configured one:
    the worker uses them as they are (Kafka never shrinks a topic; README, "Adding partitions")."""
    differ = {
        t["topic"]: len(t["partitions"])
        for t in described
        if t["error_code"] == 0 and len(t["partitions"]) != partitions
    }
    if differ:
        log.warning(
            "existing topics have other partition counts than SITREP_TOPIC_PARTITIONS",
            extra={"event": "topic_partitions_differ", "configured": partitions, "topics": differ},
        )


async def broker_answers(bootstrap: str, timeout: float = 3.0, security: Settings | None = None) -> bool:
    """Whether a Kafka broker answers a metadata request at `bootstrap`."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap, request_timeout_ms=int(timeout * 1000), **kafka_options(security)
    )
    try:
        await asyncio.wait_for(admin.start(), timeout)
        await asyncio.wait_for(admin.list_topics(), timeout)
    except Exception:
        return False
    finally:
        await admin.close()
    return True


@asynccontextmanager
async def cluster(
    bootstrap: str, security: Settings | None = None
) -> AsyncIterator[tuple[AIOKafkaAdminClient, AIOKafkaConsumer]]:
    """An admin client and a group-less consumer (for offsets), with the CLI's SASL/TLS options."""
    options = kafka_options(security)
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **options)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, **options
    )
    await start_client(admin, bootstrap, options)
    try:
        await start_client(consumer, bootstrap, options)
        try:
            yield admin, consumer
        finally:
            await consumer.stop()
    finally:
        await admin.close()


async def group_caught_up(
    bootstrap: str, group: str, topics: list[str], security: Settings | None = None
) -> bool:
    """Whether consumer group `group` has committed every message of `topics` (lag zero).

    A worker commits only after flushing what it produced, so once this holds, every
    output those messages lead to is on its topic.
    """
    async with cluster(bootstrap, security) as (admin, consumer):
        committed = await admin.list_consumer_group_offsets(group)
        partitions = await topic_partitions(consumer, topics)
        ends = await consumer.end_offsets(partitions)
    return all(end == 0 or (tp in committed and committed[tp].offset >= end) for tp, end in ends.items())
