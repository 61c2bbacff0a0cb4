"""Messages per article, from the broker's offsets: what a worker produced (every topic it writes,
changelogs included) and consumed (its group's committed offsets), counted around one drain.

Issue 15's target reads them per article: at most twice the article's events + 3."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiokafka import TopicPartition

from streams.kafka.clients import cluster, topic_partitions


@dataclass(frozen=True)
class Offsets:
    """End offsets of the worker's topics and its group's committed offsets, summed per topic."""

    ends: dict[str, int]
    committed: dict[str, int]


async def snapshot(bootstrap: str, prefix: str, group: str, skip: tuple[str, ...] = ()) -> Offsets:
    """The offsets of every topic named with `prefix` (bar those starting with one of `skip`)."""
    async with cluster(bootstrap) as (admin, consumer):
        topics = sorted(
            t for t in await admin.list_topics() if t.startswith(prefix) and not t.startswith(skip)
        )
        partitions = await topic_partitions(consumer, topics)
        ends = await consumer.end_offsets(partitions)
        committed = await admin.list_consumer_group_offsets(group)
    return Offsets(_by_topic(ends), _by_topic({tp: meta.offset for tp, meta in committed.items()}))


def _by_topic(offsets: dict[TopicPartition, int]) -> dict[str, int]:
    out: dict[str, int] = {}
    for tp, offset in offsets.items():
        out[tp.topic] = out.get(tp.topic, 0) + max(offset, 0)
    return out


def per_article(
    before: Offsets, after: Offsets, articles: int, *, produced_elsewhere: str, events_prefix: str
) -> dict[str, Any]:
    """Messages per article between two snapshots; `produced_elsewhere` (the raw topic) is only an input."""
    produced = {t: n - before.ends.get(t, 0) for t, n in after.ends.items() if t != produced_elsewhere}
    consumed = {t: n - before.committed.get(t, 0) for t, n in after.committed.items()}
    produced = {t: n for t, n in produced.items() if n}
    consumed = {t: n for t, n in consumed.items() if n}
    events = sum(n for t, n in produced.items() if t.startswith(events_prefix)) / articles
    out_, in_ = sum(produced.values()) / articles, sum(consumed.values()) / articles
    return {
        "events_per_article": round(events, 2),
        "produced_per_article": round(out_, 2),
        "consumed_per_article": round(in_, 2),
        "in_and_out_per_article": round(out_ + in_, 2),
        "target_per_article": round(2 * events + 3, 2),
        "produced": produced,
        "consumed": consumed,
    }
