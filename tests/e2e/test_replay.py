"""Replay on the real broker: exactly the window's raw articles come out again, marked; with a
worker running, their claims go through its claims stage, counted once, and only claims new to
it become events and alerts; a bad article is not dead-lettered a second time."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaProducer, ConsumerRecord
from prometheus_client.parser import text_string_to_metric_families

from streams.classify import CATEGORIES
from streams.cli.replay import replay
from streams.config import Settings
from streams.contracts.headers import REPLAY_HEADER
from streams.contracts.topics import TopicNames
from streams.kafka.clients import ensure_topics
from tests.e2e.conftest import (
    LIMITS,
    WorkerProcess,
    records_to_end,
    start_worker,
    stop_worker,
    wait_caught_up,
)
from tests.e2e.test_cli import sitrep
from tests.e2e.test_security import sitrep as sitrep_with

pytestmark = pytest.mark.kafka

BODY = "Russia deployed 300 troops near Kharkiv on Monday, the ministry said."
LIVE_MAX_SENTENCES = 4  # the worker's limit; the replay runs with the default (5000)
PUBLISHED = "2024-02-05T08:00:00Z"
# Live: the first two are one claim told twice (corroboration 2) and raise one alert; the third is
# another claim; the fourth is not JSON. LONG has five sentences: the worker dead-letters it.
SEEN = [
    ("cas-1", "Russia lost 400 soldiers near Avdiivka on Monday, the Ukrainian general staff said."),
    ("cas-2", "The Ukrainian general staff said on Monday that Russia lost 400 soldiers near Avdiivka."),
    ("dep-1", BODY),
]
LONG = (
    "The fighting went on through the night. Witnesses described heavy shelling. Ukraine lost 250 "
    "soldiers near Bakhmut on Tuesday, the Russian ministry of defence said. Local officials gave no "
    "figures. Belarus deployed 2,000 troops to the border with Ukraine on Tuesday."
)


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
    items.append((b"bad-5", b"not json", at(5)))  # inside the window: rejected again, only counted
    asyncio.run(produce_at(kafka, names.raw, items))
    settings = Settings(bootstrap_servers=kafka, topic_prefix=names.prefix)
    since, until = datetime(2024, 2, 3, tzinfo=UTC), datetime(2024, 2, 7, tzinfo=UTC)

    result = asyncio.run(replay(settings, since, until=until, rate=100.0))

    out = asyncio.run(read_with_headers(kafka, [names.enriched, names.claims, names.deadletter]))
    enriched = sorted(key for topic, key, _ in out if topic == names.enriched)
    assert enriched == [f"art-{day}".encode() for day in range(3, 7)]
    assert sorted(key for topic, key, _ in out if topic == names.claims) == enriched  # one claim each
    assert [key for topic, key, _ in out if topic == names.deadletter] == []  # dead-lettered once, live
    assert all(headers.get(REPLAY_HEADER[0]) == REPLAY_HEADER[1] for _, _, headers in out)
    assert (result.enriched, result.events, result.claims_messages) == (4, 4, 4)
    assert (result.rejected, result.rejected_by_reason) == (1, {"invalid_json": 1})
    assert result.read - result.skipped == 5


@pytest.fixture(scope="module")
def limited(kafka: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerProcess]:
    """A worker whose sentence limit dead-letters LONG, as a limit later raised would have."""
    running = start_worker(
        kafka, tmp_path_factory.mktemp("replay"), {**LIMITS, "SITREP_MAX_SENTENCES": str(LIVE_MAX_SENTENCES)}
    )
    yield running
    stop_worker(running)


def pipeline(names: TopicNames) -> list[str]:
    return [names.raw, names.claims, *(names.events(c) for c in CATEGORIES)]


def metric(worker: WorkerProcess, sample: str) -> float:
    with urllib.request.urlopen(worker.url + "/metrics", timeout=5) as response:
        families = text_string_to_metric_families(response.read().decode())
    found = [s.value for family in families for s in family.samples if s.name == sample and not s.labels]
    return found[0] if found else 0.0


def wait_metric(worker: WorkerProcess, sample: str, expected: float, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while (value := metric(worker, sample)) != expected:
        if time.monotonic() > deadline:
            pytest.fail(f"{sample} is {value}, not {expected}, after {timeout} s")
        time.sleep(0.3)


def run_replay(worker: WorkerProcess, since_ms: int, until_ms: int) -> dict[str, Any]:
    """`sitrep replay` as an operator runs it, beside the worker; returns its summary."""
    since, until = (datetime.fromtimestamp(ms / 1000, UTC).isoformat() for ms in (since_ms, until_ms))
    done = sitrep(worker, "replay", "--since", since, "--until", until)
    assert done.returncode == 0, done.stderr[-2000:]
    summary: dict[str, Any] = json.loads(done.stdout)
    return summary


def outputs(worker: WorkerProcess) -> dict[str, list[ConsumerRecord[bytes, bytes]]]:
    names = worker.names
    wanted = {
        "events": [names.events(c) for c in CATEGORIES],
        "alerts": [names.alerts],
        "deadletter": [names.deadletter],
        "enriched": [names.enriched],
    }
    return {kind: asyncio.run(records_to_end(worker.bootstrap, topics)) for kind, topics in wanted.items()}


def replayed(record: ConsumerRecord[bytes, bytes]) -> bool:
    return dict(record.headers).get(REPLAY_HEADER[0]) == REPLAY_HEADER[1]


@pytest.fixture(scope="module")
def live(limited: WorkerProcess) -> dict[str, Any]:
    """What the worker made of the articles as they came in: SEEN two hours ago, LONG one hour ago."""
    now = int(time.time() * 1000)
    seen_at, long_at = now - 2 * 3600_000, now - 3600_000
    items = [
        (key.encode(), orjson.dumps({"id": key, "body": body, "published_at": PUBLISHED}), seen_at)
        for key, body in SEEN
    ]
    items.append((b"bad-1", b"not json", seen_at))
    items.append(
        (b"long-1", orjson.dumps({"id": "long-1", "body": LONG, "published_at": PUBLISHED}), long_at)
    )
    asyncio.run(produce_at(limited.bootstrap, limited.names.raw, items))
    wait_caught_up(limited, pipeline(limited.names))
    return {"seen_at": seen_at, "long_at": long_at, "before": outputs(limited)}


def test_a_replay_of_claims_already_seen_counts_nothing_twice(
    limited: WorkerProcess, live: dict[str, Any]
) -> None:
    before = live["before"]
    assert sorted(orjson.loads(r.value)["reason"] for r in before["deadletter"]) == [
        "invalid_json",
        "too_many_sentences",
    ]
    corroboration = sorted(orjson.loads(r.value)["corroboration"] for r in before["events"])
    assert corroboration == [1, 1, 2]  # cas-2 corroborates cas-1; dep-1 is its own claim
    assert [orjson.loads(r.value)["rule"] for r in before["alerts"]] == ["mass-casualties"]
    claims = metric(limited, "sitrep_claims_tracked")
    assert claims == 2 and metric(limited, "sitrep_events_repeated_total") == 0

    summary = run_replay(limited, live["seen_at"], live["seen_at"] + 1)

    assert summary["enriched"] == 3 and summary["events"] == 3
    assert (summary["rejected"], summary["rejected_by_reason"]) == (1, {"invalid_json": 1})
    wait_metric(limited, "sitrep_events_repeated_total", 3)  # each replayed event found its article
    wait_caught_up(limited, pipeline(limited.names))
    after = outputs(limited)
    assert len(after["events"]) == len(before["events"])  # no claim counted again, no corroboration added
    assert len(after["alerts"]) == len(before["alerts"])
    assert len(after["deadletter"]) == len(before["deadletter"])  # the bad article: not dead-lettered again
    assert metric(limited, "sitrep_claims_tracked") == claims
    new_enriched = _new(before["enriched"], after["enriched"])
    assert sorted(r.key for r in new_enriched) == [b"cas-1", b"cas-2", b"dep-1"]
    assert all(replayed(r) for r in new_enriched)


def test_a_replay_of_claims_new_to_the_worker_raises_events_and_an_alert(
    limited: WorkerProcess, live: dict[str, Any]
) -> None:
    """LONG was dead-lettered under the worker's sentence limit; replayed with the limit raised,
    its claims are new to the claims table: they are published, marked, in event time, and alert."""
    before = outputs(limited)
    repeated = metric(limited, "sitrep_events_repeated_total")
    claims = metric(limited, "sitrep_claims_tracked")

    summary = run_replay(limited, live["long_at"], live["long_at"] + 1)

    assert (summary["enriched"], summary["events"], summary["rejected"]) == (1, 2, 0)
    wait_metric(limited, "sitrep_claims_tracked", claims + 2)
    wait_caught_up(limited, pipeline(limited.names))
    after = outputs(limited)
    events = _new(before["events"], after["events"])
    assert sorted(
        (orjson.loads(r.value)["actor"], orjson.loads(r.value)["corroboration"]) for r in events
    ) == [
        ("Belarus", 1),
        ("Ukraine", 1),
    ]
    assert all(replayed(r) and r.timestamp == live["long_at"] for r in events)  # marked, in event time
    (alert,) = _new(before["alerts"], after["alerts"])
    assert orjson.loads(alert.value)["rule"] == "mass-casualties" and replayed(alert)
    assert orjson.loads(alert.value)["articles"] == ["long-1"]
    assert len(after["deadletter"]) == len(before["deadletter"])
    assert metric(limited, "sitrep_events_repeated_total") == repeated

    # The same window again: now the worker knows these claims, so nothing more comes out.
    run_replay(limited, live["long_at"], live["long_at"] + 1)
    wait_metric(limited, "sitrep_events_repeated_total", repeated + 2)
    wait_caught_up(limited, pipeline(limited.names))
    again = outputs(limited)
    assert (len(again["events"]), len(again["alerts"])) == (len(after["events"]), len(after["alerts"]))


def _new(
    before: list[ConsumerRecord[bytes, bytes]], after: list[ConsumerRecord[bytes, bytes]]
) -> list[ConsumerRecord[bytes, bytes]]:
    """Records in `after` that were not in `before` (by topic, partition and offset)."""
    known = {(r.topic, r.partition, r.offset) for r in before}
    return [r for r in after if (r.topic, r.partition, r.offset) not in known]


def test_replay_without_the_workers_claims_topic_says_what_to_do(kafka: str) -> None:
    names = TopicNames(f"r{uuid.uuid4().hex[:8]}.")
    asyncio.run(ensure_topics(kafka, [names.raw], 1))
    env = {"KAFKA_BOOTSTRAP_SERVERS": kafka, "SITREP_TOPIC_PREFIX": names.prefix}
    done = sitrep_with(env, "replay", "--since", "2024-01-01")
    assert done.returncode == 2
    assert done.stderr.startswith("sitrep: ") and len(done.stderr.strip().splitlines()) == 1
    assert names.claims in done.stderr and "sitrep worker" in done.stderr
