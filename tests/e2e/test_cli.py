"""The CLI against the real broker: ingest + tail round trip, ingest's checks, summary and resume,
a closed pipe, kcat interop, and the demo."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaConsumer

from streams.contracts.topics import TopicNames
from streams.kafka.clients import ensure_topics, topic_partitions
from tests.e2e.conftest import WorkerProcess, consume_until, records_to_end

pytestmark = pytest.mark.kafka


def sitrep(worker: WorkerProcess, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, KAFKA_BOOTSTRAP_SERVERS=worker.bootstrap, SITREP_TOPIC_PREFIX=worker.names.prefix)
    return run_cli(env, *args, timeout=timeout)


def test_ingest_then_tail_round_trip(worker: WorkerProcess, tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    lines = [
        orjson.dumps({"id": f"cli-{i}", "body": f"Russia sent {i + 2} tanks to Belarus."}) for i in range(5)
    ]
    feed.write_bytes(b"\n".join(lines) + b"\n")
    page = tmp_path / "page.txt"
    page.write_text("Ukraine Says 40 Soldiers Killed\n\nForty soldiers were killed in shelling.\n")

    ingest = sitrep(worker, "ingest", str(feed), str(page))
    assert ingest.returncode == 0, ingest.stderr

    tail = sitrep(worker, "tail", "articles.enriched", "--from-beginning", "--limit", "6", "--timeout", "60")
    assert tail.returncode == 0, tail.stderr
    ids = [orjson.loads(line)["id"] for line in tail.stdout.splitlines()]
    assert {f"cli-{i}" for i in range(5)} <= set(ids)
    assert len(ids) == 6


@pytest.fixture
def raw_topic(kafka: str) -> TopicNames:
    """Topics of their own (no worker reads them): what ingest sends stays there to be counted."""
    names = TopicNames(f"ing{uuid.uuid4().hex[:8]}.")
    asyncio.run(ensure_topics(kafka, [names.raw], 2))
    return names


def ingest_env(kafka: str, names: TopicNames, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SITREP_", "KAFKA_"))}
    return env | {"KAFKA_BOOTSTRAP_SERVERS": kafka, "SITREP_TOPIC_PREFIX": names.prefix} | extra


def run_cli(env: dict[str, str], *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """`sitrep ARGS...` in a subprocess, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "streams.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_ingest(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(env, "ingest", *args)


def logged(stderr: str, event: str) -> list[dict[str, Any]]:
    lines = [orjson.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    return [line for line in lines if line.get("event") == event]


def keys_on(kafka: str, topic: str) -> list[bytes | None]:
    return [record.key for record in asyncio.run(records_to_end(kafka, [topic]))]


def test_ingest_checks_first_reports_rejects_by_line_and_sends_only_good_articles(
    kafka: str, raw_topic: TopicNames, tmp_path: Path
) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(
        b"\n".join(
            [
                orjson.dumps({"id": "good-1", "body": "Russia sent 5 tanks to Belarus."}),
                b"{not json",
                orjson.dumps({"id": "good-2", "body": "Two soldiers were killed."}),
                orjson.dumps({"id": "no-body", "title": "only a title"}),
                orjson.dumps({"id": "good-3", "body": "Iran delivered drones."}),
            ]
        )
        + b"\n"
    )
    env = ingest_env(kafka, raw_topic)

    dry = run_ingest(env, "--dry-run", str(feed))
    assert dry.returncode == 1, dry.stderr  # some would be rejected
    (summary,) = logged(dry.stderr, "ingest")
    assert (summary["dry_run"], summary["valid"], summary["sent"]) == (True, 3, 0)
    assert keys_on(kafka, raw_topic.raw) == []  # a dry run sends nothing

    sent = run_ingest(env, str(feed))
    assert sent.returncode == 1, sent.stderr
    assert "Traceback" not in sent.stderr
    rejected = logged(sent.stderr, "ingest_rejected")
    assert [(r["file"], r["line"], r["reason"]) for r in rejected] == [
        (str(feed), 2, "invalid_json"),
        (str(feed), 4, "missing_body"),
    ]
    (summary,) = logged(sent.stderr, "ingest")
    assert (summary["read"], summary["sent"], summary["rejected"]) == (
        5,
        3,
        {"invalid_json": 1, "missing_body": 1},
    )
    assert summary["msg"].startswith(f"sent 3 of 5 articles to {raw_topic.raw}, rejected 2")
    assert sorted(keys_on(kafka, raw_topic.raw)) == [b"good-1", b"good-2", b"good-3"]


def test_ingest_interrupted_says_where_to_resume_and_the_resume_completes_the_feed(
    kafka: str, raw_topic: TopicNames, tmp_path: Path
) -> None:
    count = 100_000
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(
        b"".join(
            orjson.dumps({"id": f"r{i}", "body": f"Russia sent {i} tanks."}) + b"\n" for i in range(count)
        )
    )
    env = ingest_env(kafka, raw_topic)
    process = subprocess.Popen(
        [sys.executable, "-m", "streams.cli", "ingest", str(feed)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    asyncio.run(wait_for_messages(kafka, raw_topic.raw, minimum=1))
    process.send_signal(signal.SIGINT)  # Ctrl-C
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    (summary,) = logged(stderr, "ingest")
    assert summary["interrupted"] is True
    resume_from = summary["resume_from"]
    assert f"run the same command with --resume-from {resume_from}" in summary["msg"]
    resume_line = int(resume_from.rpartition(":")[2])
    assert resume_from == f"{feed}:{resume_line}"
    assert 1 <= summary["sent"] == resume_line - 1 < count  # every article before it is acknowledged

    resumed = run_ingest(env, str(feed), "--resume-from", resume_from)
    assert resumed.returncode == 0, resumed.stderr
    (summary,) = logged(resumed.stderr, "ingest")
    assert (summary["skipped"], summary["sent"]) == (resume_line - 1, count - resume_line + 1)
    keys = keys_on(kafka, raw_topic.raw)
    assert len(set(keys)) == count  # the feed is complete; sent twice at most what was in flight
    assert len(keys) - count <= 1000


async def wait_for_messages(kafka: str, topic: str, minimum: int, timeout: float = 60.0) -> None:
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka, group_id=None)
    await consumer.start()
    try:
        partitions = await topic_partitions(consumer, [topic])
        deadline = time.monotonic() + timeout
        while sum((await consumer.end_offsets(partitions)).values()) < minimum:
            assert time.monotonic() < deadline, f"no message reached {topic} in {timeout} s"
            await asyncio.sleep(0.02)
    finally:
        await consumer.stop()


def two_megabyte_feed(tmp_path: Path) -> Path:
    feed = tmp_path / "big.jsonl"
    lines = [
        orjson.dumps({"id": "small-1", "body": "Russia sent 5 tanks to Belarus."}),
        orjson.dumps({"id": "huge", "body": "Troops moved. " * 150_000}),  # about 2 MB
        orjson.dumps({"id": "small-2", "body": "Two soldiers were killed."}),
    ]
    feed.write_bytes(b"\n".join(lines) + b"\n")
    return feed


def test_a_2mb_line_is_rejected_by_its_line_number_and_the_rest_sent(
    kafka: str, raw_topic: TopicNames, tmp_path: Path
) -> None:
    feed = two_megabyte_feed(tmp_path)
    result = run_ingest(ingest_env(kafka, raw_topic), str(feed))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    (rejected,) = logged(result.stderr, "ingest_rejected")
    assert (rejected["line"], rejected["reason"]) == (2, "too_large")
    assert rejected["msg"].startswith(f"{feed}:2: rejected (too_large)")
    assert "raise SITREP_MAX_ARTICLE_BYTES" in rejected["msg"]
    assert sorted(keys_on(kafka, raw_topic.raw)) == [b"small-1", b"small-2"]


def test_a_2mb_line_the_broker_refuses_stops_ingest_with_one_line_naming_it(
    kafka: str, raw_topic: TopicNames, tmp_path: Path
) -> None:
    feed = two_megabyte_feed(tmp_path)
    # Our limit allows it, the broker's (message.max.bytes, 1 MiB by default) does not.
    result = run_ingest(
        ingest_env(kafka, raw_topic, SITREP_MAX_ARTICLE_BYTES=str(4 * 1024 * 1024)), str(feed)
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    line = result.stderr.splitlines()[-1]
    assert line.startswith(f"sitrep: {feed}:2: the broker refused this article of ")
    assert "max.message.bytes" in line and "SITREP_MAX_ARTICLE_BYTES" in line
    assert line.endswith(f"then run the same command with --resume-from {feed}:2")
    keys = keys_on(kafka, raw_topic.raw)
    assert b"small-1" in keys and b"huge" not in keys  # small-2 may have been in flight: a resume resends it


def test_tail_into_a_closed_pipe_stops_quietly_with_the_sigpipe_status(
    kafka: str, raw_topic: TopicNames, tmp_path: Path
) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(  # more than a pipe holds, so tail is still writing when the reader goes
        b"".join(orjson.dumps({"id": f"t{i}", "body": "x" * 200}) + b"\n" for i in range(2000))
    )
    env = ingest_env(kafka, raw_topic)
    assert run_ingest(env, str(feed)).returncode == 0
    process = subprocess.Popen(
        [sys.executable, "-m", "streams.cli", "tail", "articles.raw", "--from-beginning"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # what `| head -1` does
    assert process.wait(timeout=60) == 141
    assert orjson.loads(first)["body"] == "x" * 200
    assert process.stderr.read() == b""


@pytest.mark.skipif(shutil.which("kcat") is None, reason="kcat is not installed (apt-get install kcat)")
def test_kcat_produces_raw_and_consumes_enriched(worker: WorkerProcess) -> None:
    article = orjson.dumps({"id": "kcat-1", "body": "Iran delivered 200 drones to Russia, officials said."})
    produced = subprocess.run(
        ["kcat", "-b", worker.bootstrap, "-P", "-t", worker.names.raw, "-k", "kcat-1"],
        input=article + b"\n",
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert produced.returncode == 0, produced.stderr
    # Wait with our own client until the output exists, then check that kcat reads it too.
    asyncio.run(
        consume_until(
            worker.bootstrap, [worker.names.enriched], lambda rs: any(k == b"kcat-1" for _, k, _ in rs)
        )
    )
    consumed = subprocess.run(
        [
            "kcat",
            "-b",
            worker.bootstrap,
            "-C",
            "-t",
            worker.names.enriched,
            "-o",
            "beginning",
            "-K",
            "\t",
            "-e",
            "-q",
        ],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert consumed.returncode == 0, consumed.stderr
    found = [line for line in consumed.stdout.splitlines() if line.startswith(b"kcat-1\t")]
    assert len(found) == 1, consumed.stdout[-2000:]
    enriched = orjson.loads(found[0].split(b"\t", 1)[1])
    assert enriched["id"] == "kcat-1" and "supply" in enriched["categories"]


def run_demo(kafka: str, *paths: str) -> subprocess.CompletedProcess[str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("SITREP_TOPIC_PREFIX", "SITREP_APP_ID")
    }
    env["KAFKA_BOOTSTRAP_SERVERS"] = kafka  # the demo picks a namespace of its own per run
    return run_cli(env, "demo", *paths, timeout=240)


def categories_printed(stdout: str) -> set[str]:
    return {line[1 : line.index("/")] for line in stdout.splitlines() if line.startswith("[") and "/" in line}


def test_demo_prints_events_of_every_category_for_its_samples(kafka: str) -> None:
    demo = run_demo(kafka)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert categories_printed(demo.stdout) == {"deployment", "supply", "casualty", "forecast"}


def test_demo_on_the_seed_article(kafka: str, shared_data: Path) -> None:
    demo = run_demo(kafka, str(shared_data / "seed-article.txt"))
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert categories_printed(demo.stdout) == {"deployment", "supply", "casualty", "forecast"}
    assert "done: 1 article(s)" in demo.stdout
    assert "ALERT critical ballistic-missile-to-new-recipient" in demo.stdout
    # the seed's 1,100 casualties are a running total (scope cumulative): no mass-casualties alert
    assert "mass-casualties" not in demo.stdout


def test_tail_of_a_topic_that_does_not_exist_is_one_line_and_exit_2(
    kafka: str, raw_topic: TopicNames
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "streams.cli", "tail", "events.suply", "--limit", "1"],
        env=ingest_env(kafka, raw_topic),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        f"sitrep: topic '{raw_topic.prefix}events.suply' does not exist; "
        "check the name (and SITREP_TOPIC_PREFIX)"
    ]
