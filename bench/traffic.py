"""Messages per article, in and out, changelogs included: counted from the broker, not from the
worker, so the figure holds whatever the stream layer does inside.

Out is what landed on the run's topics (every topic under the prefix: outputs, internal topics,
changelogs), the raw input excepted; in is what the worker's consumer group committed (the raw
input and any internal topic it reads back). Both are deltas over one drain.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from aiokafka import TopicPartition
from aiokafka.errors import GroupCoordinatorNotAvailableError

from streams.kafka.clients import cluster, topic_partitions


@dataclass(frozen=True)
class Offsets:
    """End offsets of the run's topics and the group's committed offsets, at one moment."""

    ends: dict[TopicPartition, int]
    committed: dict[TopicPartition, int]


async def offsets(bootstrap: str, prefix: str, group: str, exclude: tuple[str, ...] = ()) -> Offsets:
    """Every topic starting with `prefix` (but none starting with an `exclude` prefix)."""
    async with cluster(bootstrap) as (admin, consumer):
        topics = sorted(
            t for t in await consumer.topics() if t.startswith(prefix) and not t.startswith(exclude)
        )
        ends = await consumer.end_offsets(await topic_partitions(consumer, topics)) if topics else {}
        committed = await _group_offsets(admin, group)
    return Offsets(
        dict(ends), {tp: meta.offset for tp, meta in committed.items() if meta.offset >= 0 and tp in ends}
    )


async def _group_offsets(admin: Any, group: str, wait_seconds: float = 30.0) -> Any:
    """The group's committed offsets; a fresh broker has no group coordinator for a moment."""
    deadline = asyncio.get_running_loop().time() + wait_seconds
    while True:
        try:
            return await admin.list_consumer_group_offsets(group)
        except GroupCoordinatorNotAvailableError:
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.2)  # poll: the coordinator comes up with __consumer_offsets


def per_article(before: Offsets, after: Offsets, raw_topic: str, articles: int) -> dict[str, Any]:
    """Messages out (raw excepted) and in (committed by the group) per article, and by topic."""

    def grown(now: dict[TopicPartition, int], then: dict[TopicPartition, int]) -> dict[str, int]:
        by_topic: dict[str, int] = {}
        for tp, offset in now.items():
            by_topic[tp.topic] = by_topic.get(tp.topic, 0) + offset - then.get(tp, 0)
        return by_topic

    out = {t: n for t, n in grown(after.ends, before.ends).items() if t != raw_topic and n}
    taken = {t: n for t, n in grown(after.committed, before.committed).items() if n}
    n = max(articles, 1)
    return {
        "in_per_article": round(sum(taken.values()) / n, 2),
        "out_per_article": round(sum(out.values()) / n, 2),
        "total_per_article": round((sum(taken.values()) + sum(out.values())) / n, 2),
        "out_by_topic": {t: round(c / n, 2) for t, c in sorted(out.items())},
        "in_by_topic": {t: round(c / n, 2) for t, c in sorted(taken.items())},
    }


async def settled(bootstrap: str, prefix: str, group: str, exclude: tuple[str, ...] = ()) -> bool:
    """Whether `group` has committed every message of every topic it reads (lag zero everywhere)."""
    now = await offsets(bootstrap, prefix, group, exclude)
    read = {tp.topic for tp in now.committed}
    return bool(read) and all(
        now.committed.get(tp, 0) >= end for tp, end in now.ends.items() if tp.topic in read
    )
