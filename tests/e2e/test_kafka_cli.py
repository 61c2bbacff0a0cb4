"""The CLI for a Kafka user, against the real broker: `sitrep topics`, `tail --show` beside kcat,
`tail --limit` over several partitions, and `sitrep bench` as the README writes it."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.structs import OffsetAndMetadata

from streams.config import Settings
from streams.contracts.topics import TopicNames
from streams.kafka.clients import ensure_topics
from tests.e2e import test_security

pytestmark = pytest.mark.kafka

sasl_env = test_security.sasl_env  # a SASL/SCRAM broker of its own, as the security tests start it

PARTITIONS = 4
PER_PARTITION = 3  # messages on each partition of articles.raw


@dataclass(frozen=True)
class Namespace:
    bootstrap: str
    names: TopicNames
    sent: list[tuple[int, bytes, bytes, list[tuple[str, bytes]]]]  # partition, key, value, headers


@pytest.fixture(scope="module")
def space(kafka: str) -> Iterator[Namespace]:
    """Two topics of a prefix of their own; articles.raw holds PER_PARTITION messages on each partition."""
    names = TopicNames(f"k{uuid.uuid4().hex[:8]}.")
    asyncio.run(ensure_topics(kafka, [names.raw, names.events("supply")], PARTITIONS))
    sent = [
        (
            p,
            f"key-{p}-{i}".encode(),
            orjson.dumps({"id": f"a-{p}-{i}", "body": "x"}),
            [("n", str(i).encode())],
        )
        for p in range(PARTITIONS)
        for i in range(PER_PARTITION)
    ]
    asyncio.run(produce(kafka, names.raw, sent))
    yield Namespace(kafka, names, sent)


async def produce(bootstrap: str, topic: str, messages: list[tuple[int, bytes, bytes, Any]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for partition, key, value, headers in messages:
            await producer.send_and_wait(topic, value, key=key, partition=partition, headers=headers)
    finally:
        await producer.stop()


def sitrep(space: Namespace, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": space.bootstrap,
        **env,
        "SITREP_TOPIC_PREFIX": space.names.prefix,
    }
    return subprocess.run(
        [sys.executable, "-m", "streams.cli", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def json_of(run: subprocess.CompletedProcess[str]) -> Any:
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_topics_lists_the_prefix_s_topics_with_their_counts(space: Namespace) -> None:
    listed = json_of(sitrep(space, "topics", "--json"))
    raw, supply = space.names.raw, space.names.events("supply")
    assert [t["topic"] for t in listed] == sorted([raw, supply])  # nothing outside the prefix
    by_name = {t["topic"]: t for t in listed}
    assert by_name[raw] == {
        "topic": raw,
        "partitions": PARTITIONS,
        "replication_factor": 1,
        "messages": PARTITIONS * PER_PARTITION,
        "end_offset": PARTITIONS * PER_PARTITION,
    }
    assert by_name[supply]["messages"] == 0
    text = sitrep(space, "topics")
    assert text.returncode == 0, text.stderr
    assert text.stdout.splitlines()[0].split()[:3] == ["topic", "partitions", "replication"]
    assert any(line.split()[:3] == [raw, "4", "1"] for line in text.stdout.splitlines())


def test_describe_shows_partitions_leaders_and_replicas(space: Namespace) -> None:
    described = json_of(sitrep(space, "topics", "describe", "articles.raw", "--json"))
    assert described["topic"] == space.names.raw
    partitions = described["partitions"]
    assert [p["partition"] for p in partitions] == list(range(PARTITIONS))
    for p in partitions:
        assert p["leader"] in p["replicas"] and p["isr"] == p["replicas"]
        assert (p["start_offset"], p["end_offset"], p["messages"]) == (0, PER_PARTITION, PER_PARTITION)
    text = sitrep(space, "topics", "describe", space.names.raw)  # the full name works too
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith(f"{space.names.raw}: {PARTITIONS} partition(s), replication factor 1")


def test_describe_of_a_missing_topic_is_one_line_and_creates_nothing(space: Namespace) -> None:
    missing = sitrep(space, "topics", "describe", "no.such.topic")
    assert missing.returncode == 2
    assert missing.stderr.strip().splitlines() == [
        f"sitrep: no topic {space.names.prefix}no.such.topic on {space.bootstrap}: `sitrep topics` lists them"
    ]
    listed = json_of(sitrep(space, "topics", "--json"))
    assert f"{space.names.prefix}no.such.topic" not in {t["topic"] for t in listed}


async def commit(bootstrap: str, group: str, offsets: dict[TopicPartition, int]) -> None:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign(list(offsets))
        await consumer.commit({tp: OffsetAndMetadata(o, "") for tp, o in offsets.items()})
    finally:
        await consumer.stop()


def test_lag_per_group_before_and_after_commits(space: Namespace) -> None:
    group = f"{space.names.prefix}readers-{uuid.uuid4().hex[:6]}"  # an app id must start with the prefix
    total = PARTITIONS * PER_PARTITION
    unread = json_of(sitrep(space, "topics", "lag", "articles.raw", "--group", group, "--json"))
    assert unread["total_lag"] == total
    assert [(p["committed"], p["lag"]) for p in unread["partitions"]] == [(None, PER_PARTITION)] * PARTITIONS

    tps = [TopicPartition(space.names.raw, p) for p in range(PARTITIONS)]
    asyncio.run(commit(space.bootstrap, group, {tps[0]: 1, tps[1]: PER_PARTITION}))
    partly = json_of(sitrep(space, "topics", "lag", "articles.raw", "--group", group, "--json"))
    assert [p["lag"] for p in partly["partitions"]] == [PER_PARTITION - 1, 0, PER_PARTITION, PER_PARTITION]
    assert partly["total_lag"] == total - PER_PARTITION - 1

    asyncio.run(commit(space.bootstrap, group, dict.fromkeys(tps, PER_PARTITION)))
    # Without --group: the worker's group (SITREP_APP_ID); without topics: those it committed on.
    done = json_of(sitrep(space, "topics", "lag", "--json", SITREP_APP_ID=group))
    assert done["group"] == group and done["total_lag"] == 0
    assert [(p["topic"], p["committed"], p["end_offset"]) for p in done["partitions"]] == [
        (space.names.raw, PER_PARTITION, PER_PARTITION)
    ] * PARTITIONS
    table = sitrep(space, "topics", "lag", SITREP_APP_ID=group)
    assert table.stdout.startswith(f"group {group}: total lag 0"), table.stderr


def test_tail_limit_counts_messages_over_every_partition(space: Namespace) -> None:
    tail = sitrep(space, "tail", "articles.raw", "--from-beginning", "--limit", "3", "--timeout", "10")
    assert tail.returncode == 0, tail.stderr
    assert len(tail.stdout.splitlines()) == 3


@pytest.mark.skipif(shutil.which("kcat") is None, reason="kcat is not installed (apt-get install kcat)")
def test_tail_show_prints_what_kcat_prints(space: Namespace) -> None:
    fields = "topic,key,partition,offset,timestamp,headers"
    limit = str(PARTITIONS * PER_PARTITION)
    tail = sitrep(space, "tail", "articles.raw", "--from-beginning", "--limit", limit, "--show", fields)
    assert tail.returncode == 0, tail.stderr
    ours = {(line["partition"], line["offset"]): line for line in map(json.loads, tail.stdout.splitlines())}

    kcat = subprocess.run(
        ["kcat", "-b", space.bootstrap, "-C", "-t", space.names.raw, "-o", "beginning", "-e", "-q",
         "-f", "%t\t%k\t%p\t%o\t%T\t%h\t%s\n"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert kcat.returncode == 0, kcat.stderr
    theirs = [line.split("\t") for line in kcat.stdout.splitlines()]
    assert len(theirs) == len(ours) == PARTITIONS * PER_PARTITION
    for topic, key, partition, offset, timestamp, headers, value in theirs:
        line = ours[(int(partition), int(offset))]
        assert line["topic"] == topic and line["key"] == key
        assert line["timestamp"] == int(timestamp)
        assert line["headers"] == dict(h.split("=", 1) for h in headers.split(","))
        assert line["value"] == json.loads(value)
    assert {(p, k.decode()) for p, k, _, _ in space.sent} == {
        (m["partition"], m["key"]) for m in ours.values()
    }

    readable = sitrep(space, "tail", "articles.raw", "--from-beginning", "--limit", "1", "--format", "line",
                      "--show", "partition,offset,key")  # fmt: skip
    first = readable.stdout.splitlines()
    assert len(first) == 1 and first[0].startswith("partition="), readable.stderr
    partition, offset, key = (part.split("=", 1)[1] for part in first[0].split()[:3])
    assert ours[(int(partition), int(offset))]["key"] == key


@pytest.mark.timeout(300)
def test_bench_runs_as_the_readme_writes_it(space: Namespace, tmp_path: Path) -> None:
    report = tmp_path / "bench.json"
    bench = sitrep(
        space,
        "bench",
        "--articles",
        "20",
        "--json",
        str(report),
        "--no-latency",
        "--no-baselines",
        "--no-replay",
        "--offline-articles",
        "0",
        "--scale-articles",
        "0",
        "--soak",
        "0",
    )  # the modes the bench added later run by default at full size: this test is the command's shape
    assert bench.returncode == 0, bench.stdout + bench.stderr
    figures = json.loads(report.read_text())
    assert figures["articles"] == 20 and figures["sitrep"]["articles"] == 20
    assert "sitrep worker" in bench.stdout


@pytest.mark.skipif(shutil.which("java") is None, reason="Kafka 4.x needs Java 17+ on PATH")
def test_topics_and_lag_over_sasl(request: pytest.FixtureRequest) -> None:
    """The admin client and the offsets consumer take the CLI's SASL options (KAFKA_SASL_*)."""
    sasl_env: dict[str, str] = request.getfixturevalue("sasl_env")
    names = TopicNames(f"s{uuid.uuid4().hex[:8]}.")
    settings = Settings.from_env(sasl_env)
    asyncio.run(ensure_topics(settings.bootstrap_servers, [names.raw], 2, settings))
    secured = Namespace(settings.bootstrap_servers, names, [])
    listed = json_of(sitrep(secured, "topics", "--json", **sasl_env))
    assert [(t["topic"], t["partitions"]) for t in listed] == [(names.raw, 2)]
    lag = json_of(sitrep(secured, "topics", "lag", "articles.raw", "--group", "g", "--json", **sasl_env))
    assert lag["total_lag"] == 0 and len(lag["partitions"]) == 2
    refused = sitrep(secured, "topics", **{**sasl_env, "KAFKA_SASL_PASSWORD": "not-the-password"})
    assert refused.returncode != 0 and "authentication failed" in refused.stderr
