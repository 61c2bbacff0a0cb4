"""The claims topic's partitions (issue 15, messages per article): a worker creates it with
SITREP_CLAIM_PARTITIONS (1: an article's claims are one message), follows an existing one, and its
claims still repeat, not publish again, after a restart that restores the claims in full."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import orjson
import pytest
from aiokafka.admin import AIOKafkaAdminClient

from streams.contracts.topics import TopicNames
from streams.kafka.clients import ensure_topics
from tests.e2e.conftest import (
    app_id_for,
    produce,
    records_to_end,
    start_worker,
    stop_worker,
    wait_caught_up,
    worker_topics,
)

pytestmark = pytest.mark.kafka

BODY = (
    "Russia sent {n} tanks to Belarus on Monday, the defence ministry said. "
    "{m} soldiers were killed in shelling near Kharkiv, officials said. "
    "China supplied {n} drones to Iran last week, a report said."
)


def _articles(ids: range) -> list[tuple[bytes, bytes]]:
    return [
        (f"cp-{i}".encode(), orjson.dumps({"id": f"cp-{i}", "body": BODY.format(n=10 + i, m=3 * i + 2)}))
        for i in ids
    ]


async def _partitions(bootstrap: str, topics: list[str]) -> dict[str, int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        return {t["topic"]: len(t["partitions"]) for t in await admin.describe_topics(topics)}
    finally:
        await admin.close()


def _events(bootstrap: str, names: TopicNames) -> list[bytes]:
    topics = [t for t in names.outputs() if t.startswith(f"{names.prefix}events.")]
    return sorted(r.value for r in asyncio.run(records_to_end(bootstrap, topics)))  # topics interleave


def _drain(bootstrap: str, data_dir: Path, names: TopicNames, articles: list[tuple[bytes, bytes]]) -> None:
    """One worker on `data_dir` reads `articles` and settles its claims, then stops cleanly."""
    worker = start_worker(bootstrap, data_dir, names=names)
    try:
        asyncio.run(produce(bootstrap, names.raw, articles))
        wait_caught_up(worker, [names.raw, names.claims])
    finally:
        stop_worker(worker)


def test_one_claims_message_per_article_and_repeats_after_a_full_restore(kafka: str, tmp_path: Path) -> None:
    names = TopicNames(f"cp{uuid.uuid4().hex[:8]}.")
    changelog = f"{app_id_for(names.prefix)}-claims-changelog"
    asyncio.run(ensure_topics(kafka, worker_topics(names), 4))
    articles = _articles(range(8))
    for run in ("first", "second"):
        (tmp_path / run).mkdir()
    _drain(kafka, tmp_path / "first", names, articles)
    assert asyncio.run(_partitions(kafka, [names.claims, changelog])) == {names.claims: 1, changelog: 1}
    bundles = asyncio.run(records_to_end(kafka, [names.claims]))
    assert sorted(orjson.loads(r.value)["claims"][0]["event"]["article_id"] for r in bundles) == sorted(
        key.decode() for key, _ in articles
    )
    assert all(len(orjson.loads(r.value)["claims"]) >= 2 for r in bundles)  # several claims, one message
    published = _events(kafka, names)
    assert len(published) >= 2 * len(articles)

    # A new data dir: the claims come back from the changelog alone; the same articles repeat.
    _drain(kafka, tmp_path / "second", names, articles)
    assert len(asyncio.run(records_to_end(kafka, [names.claims]))) == 2 * len(articles)
    assert _events(kafka, names) == published


def test_an_existing_claims_topic_keeps_its_partitions(kafka: str, tmp_path: Path) -> None:
    names = TopicNames(f"cp{uuid.uuid4().hex[:8]}.")
    changelog = f"{app_id_for(names.prefix)}-claims-changelog"
    asyncio.run(ensure_topics(kafka, worker_topics(names), 4))
    asyncio.run(ensure_topics(kafka, [names.claims], 3))
    _drain(kafka, tmp_path, names, _articles(range(4)))
    assert asyncio.run(_partitions(kafka, [names.claims, changelog])) == {names.claims: 3, changelog: 3}
    bundles = asyncio.run(records_to_end(kafka, [names.claims]))
    assert len({r.partition for r in bundles}) > 1  # the claims hash to the topic's 3 partitions
    assert len(_events(kafka, names)) >= 8
