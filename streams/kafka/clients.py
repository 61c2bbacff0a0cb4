"""Plain aiokafka clients for the CLI, the worker and the tests: topic set-up, partitions, the cluster."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from streams.config import ConfigError, Settings
from streams.errors import UsageError
from streams.kafka.security import kafka_options, start_client

log = logging.getLogger("sitrep.topics")


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
