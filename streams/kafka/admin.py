"""What a Kafka user asks the cluster about Sitrep's topics: which exist, how they are laid out, and
how far a consumer group is behind. Read-only; the CLI's `sitrep topics` prints what this returns."""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import (  # type: ignore[import-untyped]
    ConfigResource,
    ConfigResourceType,
)
from aiokafka.errors import (  # type: ignore[import-untyped]
    CoordinatorLoadInProgressError,
    GroupCoordinatorNotAvailableError,
)

from streams.config import Settings
from streams.kafka.clients import cluster

# DescribeConfigs' config_source codes (KIP-226); DEFAULT_CONFIG is the one that is not worth showing.
CONFIG_SOURCES = {
    1: "topic",
    2: "broker",
    3: "cluster default",
    4: "broker file",
    5: "default",
    6: "broker logger",
}
DEFAULT_CONFIG = 5


class UnknownTopicError(Exception):
    """The topic asked for does not exist on the cluster."""


@dataclass(frozen=True)
class PartitionState:
    """One partition: where it lives and which offsets it holds."""

    partition: int
    leader: int
    replicas: list[int]
    isr: list[int]
    start_offset: int
    end_offset: int

    @property
    def messages(self) -> int:
        """Offsets retained (exact for delete-retention topics; an upper bound for compacted ones)."""
        return self.end_offset - self.start_offset


@dataclass(frozen=True)
class TopicState:
    name: str
    partitions: list[PartitionState]
    configs: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> {value, source}

    @property
    def replication_factor(self) -> int:
        return max((len(p.replicas) for p in self.partitions), default=0)

    @property
    def messages(self) -> int:
        return sum(p.messages for p in self.partitions)

    @property
    def end_offset(self) -> int:
        return sum(p.end_offset for p in self.partitions)

    def summary(self) -> dict[str, Any]:
        return {
            "topic": self.name,
            "partitions": len(self.partitions),
            "replication_factor": self.replication_factor,
            "messages": self.messages,
            "end_offset": self.end_offset,
        }

    def as_dict(self) -> dict[str, Any]:
        partitions = [asdict(p) | {"messages": p.messages} for p in self.partitions]
        return self.summary() | {"partitions": partitions, "configs": self.configs}


@dataclass(frozen=True)
class PartitionLag:
    topic: str
    partition: int
    committed: int | None  # None: the group has committed nothing here
    start_offset: int
    end_offset: int

    @property
    def lag(self) -> int:
        """Messages the group has still to read; with no commit, every retained one (a new group
        starts at the beginning, as the worker does)."""
        done = self.start_offset if self.committed is None else max(self.committed, self.start_offset)
        return max(self.end_offset - done, 0)


@dataclass(frozen=True)
class GroupLag:
    group: str
    partitions: list[PartitionLag]

    @property
    def total(self) -> int:
        return sum(p.lag for p in self.partitions)

    def as_dict(self) -> dict[str, Any]:
        partitions = [asdict(p) | {"lag": p.lag} for p in self.partitions]
        return {"group": self.group, "total_lag": self.total, "partitions": partitions}


def full_name(name: str, prefix: str) -> str:
    """A topic name as the user typed it, with the prefix added unless it is there already."""
    return name if prefix and name.startswith(prefix) else prefix + name


async def list_topics(settings: Settings) -> list[TopicState]:
    """Every topic whose name starts with the prefix (Kafka's internal topics left out), by name."""
    async with cluster(settings.bootstrap_servers, settings) as (admin, consumer):
        metadata = await _metadata(admin)
        wanted = [
            t for t in metadata if t["topic"].startswith(settings.topic_prefix) and not t["is_internal"]
        ]
        return await _states(consumer, wanted)


async def describe_topic(settings: Settings, name: str) -> TopicState:
    """One topic: partitions with leader, replicas, ISR and offsets, and the configs not at default."""
    topic = full_name(name, settings.topic_prefix)
    async with cluster(settings.bootstrap_servers, settings) as (admin, consumer):
        metadata = await _metadata(admin, [topic])
        (state,) = await _states(consumer, metadata)
        responses = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
        configs = non_default_configs(responses[0].to_object())
    return TopicState(state.name, state.partitions, configs)


def non_default_configs(response: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The entries of a DescribeConfigs response that someone set (topic, broker or cluster)."""
    configs: dict[str, dict[str, Any]] = {}
    for resource in response["resources"]:
        for entry in resource["config_entries"]:
            if entry["config_source"] == DEFAULT_CONFIG:
                continue
            value = "(sensitive)" if entry["is_sensitive"] else entry["config_value"]
            source = CONFIG_SOURCES.get(entry["config_source"], str(entry["config_source"]))
            configs[entry["config_names"]] = {"value": value, "source": source}
    return dict(sorted(configs.items()))


async def group_lag(settings: Settings, group: str, topics: list[str] | None = None) -> GroupLag:
    """Committed offset, end offset and lag of `group` on every partition of `topics` (prefix added),
    or, without topics, of every topic it has committed on."""
    async with cluster(settings.bootstrap_servers, settings) as (admin, consumer):
        committed = await _committed(admin, group)
        if topics:
            metadata = await _metadata(admin, [full_name(t, settings.topic_prefix) for t in topics])
        else:  # a topic deleted since the group committed on it has nothing left to read
            metadata = [t for t in await _metadata(admin) if t["topic"] in {tp.topic for tp in committed}]
        partitions = [TopicPartition(t["topic"], p["partition"]) for t in metadata for p in t["partitions"]]
        starts, ends = await _offsets(consumer, partitions)
    rows = [
        PartitionLag(tp.topic, tp.partition, committed.get(tp), starts[tp], ends[tp])
        for tp in sorted(partitions)
    ]
    return GroupLag(group, rows)


async def _metadata(admin: AIOKafkaAdminClient, names: list[str] | None = None) -> list[dict[str, Any]]:
    """Topic metadata by name. Always asks for every topic: a request that names a topic creates it
    on a broker with auto.create.topics.enable (the default), and `describe nope` must not."""
    every = {t["topic"]: t for t in await admin.describe_topics() if not t["error_code"] and t["partitions"]}
    missing = [name for name in names or () if name not in every]
    if missing:
        raise UnknownTopicError(", ".join(missing))
    return [every[name] for name in names] if names is not None else [every[n] for n in sorted(every)]


async def _committed(
    admin: AIOKafkaAdminClient, group: str, timeout: float = 15.0
) -> dict[TopicPartition, int]:
    """The group's committed offsets. The first group request to a fresh broker creates
    __consumer_offsets, and the coordinator is not available until that is done: ask again."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            offsets = await admin.list_consumer_group_offsets(group)
        except (GroupCoordinatorNotAvailableError, CoordinatorLoadInProgressError):
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.2)
            continue
        return {tp: meta.offset for tp, meta in offsets.items() if meta.offset >= 0}


async def _states(consumer: AIOKafkaConsumer, metadata: list[dict[str, Any]]) -> list[TopicState]:
    partitions = [TopicPartition(t["topic"], p["partition"]) for t in metadata for p in t["partitions"]]
    starts, ends = await _offsets(consumer, partitions)
    states = []
    for topic in metadata:
        rows = [
            PartitionState(
                partition=p["partition"],
                leader=p["leader"],
                replicas=list(p["replicas"]),
                isr=list(p["isr"]),
                start_offset=starts[TopicPartition(topic["topic"], p["partition"])],
                end_offset=ends[TopicPartition(topic["topic"], p["partition"])],
            )
            for p in sorted(topic["partitions"], key=lambda p: p["partition"])
        ]
        states.append(TopicState(topic["topic"], rows))
    return states


async def _offsets(
    consumer: AIOKafkaConsumer, partitions: list[TopicPartition]
) -> tuple[dict[TopicPartition, int], dict[TopicPartition, int]]:
    if not partitions:
        return {}, {}
    starts = await consumer.beginning_offsets(partitions)
    ends = await consumer.end_offsets(partitions)
    return starts, ends


def table(headers: list[str], rows: list[list[Any]]) -> str:
    """Columns padded to their widest cell; numbers (and "-" for none) right-aligned, text left-aligned."""
    cells = [headers, *([_cell(v) for v in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    numeric = [
        bool(rows) and all(isinstance(row[i], int) or row[i] is None for row in rows)
        for i in range(len(headers))
    ]
    lines = [
        "  ".join(
            c.rjust(w) if n else c.ljust(w) for c, w, n in zip(row, widths, numeric, strict=True)
        ).rstrip()
        for row in cells
    ]
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, list):
        return ",".join(map(str, value))
    return str(value)


def topics_table(states: list[TopicState]) -> str:
    rows = [[s.name, len(s.partitions), s.replication_factor, s.end_offset, s.messages] for s in states]
    return table(["topic", "partitions", "replication", "end offsets", "messages"], rows)


def describe_text(state: TopicState) -> str:
    head = (
        f"{state.name}: {len(state.partitions)} partition(s), replication factor "
        f"{state.replication_factor}, {state.messages} message(s)"
    )
    rows = [
        [p.partition, p.leader, p.replicas, p.isr, p.start_offset, p.end_offset, p.messages]
        for p in state.partitions
    ]
    parts = [head, "", table(["partition", "leader", "replicas", "isr", "start", "end", "messages"], rows)]
    if state.configs:
        config_rows = [[name, c["value"], c["source"]] for name, c in state.configs.items()]
        parts += ["", "configs not at their default:", table(["config", "value", "set by"], config_rows)]
    return "\n".join(parts)


def lag_table(lag: GroupLag) -> str:
    if not lag.partitions:
        return f"group {lag.group} has committed no offsets (name topics to see what it would have to read)"
    rows = [[p.topic, p.partition, p.committed, p.end_offset, p.lag] for p in lag.partitions]
    body = table(["topic", "partition", "committed", "end offset", "lag"], rows)
    return f"group {lag.group}: total lag {lag.total}\n\n{body}"
