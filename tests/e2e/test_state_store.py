"""The tables' local store on the real broker: a restart after a clean stop reads only the changelog's
tail, a kill -9 restores in full, the changelogs are compacted, and a standby takes over warm."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from prometheus_client.parser import text_string_to_metric_families

from streams.classify import CATEGORIES
from streams.config import Settings
from streams.domain.claims import ClaimState, claim_key, claim_partition
from streams.kafka.admin import describe_topic
from streams.kafka.clients import topic_partitions
from tests.e2e.conftest import WorkerProcess, produce, start_worker, stop_worker, wait_caught_up
from tests.e2e.test_crash import corpus

pytestmark = pytest.mark.kafka

PARTITIONS = 4


def restored(worker: WorkerProcess, table: str = "claims") -> float:
    """sitrep_state_restored_messages_total of one table: changelog messages read into the store."""
    with urllib.request.urlopen(worker.url + "/metrics", timeout=5) as response:
        families = list(text_string_to_metric_families(response.read().decode()))
    for family in families:
        for sample in family.samples:
            if sample.name == "sitrep_state_restored_messages_total" and sample.labels == {"table": table}:
                return float(sample.value)
    pytest.fail("sitrep_state_restored_messages_total is not exported")


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not true after {timeout} s")
        time.sleep(0.3)  # poll: the worker restores and counts on its own


def kept(worker: WorkerProcess) -> bool | None:
    """What the worker's `local_state` log line says: its store kept from the last run or not."""
    for line in worker.log().splitlines():
        if line.startswith("{") and (record := orjson.loads(line)).get("event") == "local_state":
            return bool(record["kept"])
    return None


def changelog(worker: WorkerProcess, table: str = "claims") -> str:
    return f"{worker.app_id}-{table}-changelog"


async def end_offsets(bootstrap: str, topic: str) -> int:
    """Messages ever written to `topic` (the sum of its end offsets)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
    await consumer.start()
    try:
        ends = await consumer.end_offsets(await topic_partitions(consumer, [topic]))
        return sum(ends.values())
    finally:
        await consumer.stop()


async def seed_claims(bootstrap: str, topic: str, count: int, tag: str) -> None:
    """Write `count` claims to the claims changelog, each on its partition, as another worker would."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        partitions = len(await producer.partitions_for(topic))  # SITREP_CLAIM_PARTITIONS: 1 by default
        state = ClaimState(
            first_seen=1_700_000_000.0,
            last_seen=1_700_000_000.0,
            articles={"seeded": "hash"},
            outlets=("seed",),
            corroboration=1,
        ).to_table()
        for number in range(count):
            claim = f"{tag}-{number}"
            await producer.send(
                topic,
                orjson.dumps(state),
                key=claim_key(claim),
                partition=claim_partition(claim, partitions),
            )
        await producer.flush()
    finally:
        await producer.stop()


def process(worker: WorkerProcess, articles: list[tuple[bytes, bytes]]) -> None:
    asyncio.run(produce(worker.bootstrap, worker.names.raw, list(articles)))
    names = worker.names
    wait_caught_up(worker, [names.raw, names.claims, *(names.events(c) for c in CATEGORIES)])


def test_a_restart_after_a_clean_stop_reads_only_the_changelog_tail(kafka: str, tmp_path: Path) -> None:
    worker = start_worker(kafka, tmp_path)
    names = worker.names
    try:
        process(worker, corpus(60))
        assert restored(worker) == 0  # a fresh store, fresh changelogs
    finally:
        assert stop_worker(worker) == 0
    history = asyncio.run(end_offsets(kafka, changelog(worker)))
    assert history >= 20  # the claims of 60 articles, so that a full restore (history + 25) would show
    asyncio.run(seed_claims(kafka, changelog(worker), 25, "tail"))  # what another worker wrote meanwhile

    worker = start_worker(kafka, tmp_path, names=names)  # the same data dir
    try:
        wait_until(lambda: restored(worker) >= 25, "the tail restored")
        assert restored(worker) == 25  # the tail, not the history of `history` messages
        assert restored(worker, "alert_state") == 0
        assert kept(worker) is True
    finally:
        assert stop_worker(worker) == 0

    # The same restart with the memory store reads the changelog from its beginning.
    worker = start_worker(kafka, tmp_path, {"SITREP_STATE_STORE": "memory"}, names=names)
    try:
        wait_until(lambda: restored(worker) >= history + 25, "the whole changelog restored")
        assert restored(worker) == history + 25
    finally:
        stop_worker(worker)


def test_a_kill_9_discards_the_local_store_and_restores_in_full(kafka: str, tmp_path: Path) -> None:
    """A killed worker may have stored claims whose events never reached the broker: the next one
    restores from the changelog, where those claims are not, so their replayed inputs publish them."""
    worker = start_worker(kafka, tmp_path)
    names = worker.names
    try:
        process(worker, corpus(30))
    finally:
        os.kill(worker.process.pid, signal.SIGKILL)
        worker.process.wait()
    history = asyncio.run(end_offsets(kafka, changelog(worker)))
    worker = start_worker(kafka, tmp_path, names=names)
    try:
        wait_until(lambda: restored(worker) >= history, "the whole changelog restored")
        assert restored(worker) == history
        assert kept(worker) is False
    finally:
        stop_worker(worker)


def test_a_second_worker_on_the_same_data_dir_is_refused_in_one_line(kafka: str, tmp_path: Path) -> None:
    worker = start_worker(kafka, tmp_path)
    try:
        env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": kafka, "SITREP_TOPIC_PREFIX": worker.names.prefix}
        env |= {"SITREP_DATA_DIR": str(tmp_path / "worker"), "SITREP_WEB_PORT": str(worker.web_port + 1)}
        second = subprocess.run(
            [sys.executable, "-m", "streams.cli", "worker"],
            env=env,
            check=False,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        stop_worker(worker)
    assert second.returncode == 2
    assert second.stderr.startswith("sitrep: SITREP_DATA_DIR: another worker of this app uses ")
    assert len(second.stderr.strip().splitlines()) == 1


def test_the_changelogs_are_compacted_on_the_broker(kafka: str, tmp_path: Path) -> None:
    # A new data dir, the memory store: the worker starts (Faust creates only the last folder of its
    # tables' path) and creates its changelog topics compacted whatever the store.
    worker = start_worker(kafka, tmp_path, {"SITREP_STATE_STORE": "memory"})
    stop_worker(worker)
    settings = Settings(bootstrap_servers=kafka)
    for table in ("claims", "alert-state"):
        described = asyncio.run(describe_topic(settings, changelog(worker, table)))
        assert described.configs["cleanup.policy"] == {"value": "compact", "source": "topic"}


def claims_tracked(worker: WorkerProcess) -> float:
    with urllib.request.urlopen(worker.url + "/metrics", timeout=5) as response:
        for family in text_string_to_metric_families(response.read().decode()):
            for sample in family.samples:
                if sample.name == "sitrep_claims_tracked":
                    return float(sample.value)
    pytest.fail("sitrep_claims_tracked is not exported")


def test_a_standby_keeps_the_state_warm_and_takes_over_reading_nothing_again(
    kafka: str, tmp_path: Path
) -> None:
    """With two workers and SITREP_STANDBY_REPLICAS=1 (the default), each reads the partitions the
    other serves into its own store; when one stops, the other serves every partition at once."""
    for folder in ("first", "second"):
        (tmp_path / folder).mkdir()
    several = {"SITREP_CLAIM_PARTITIONS": str(PARTITIONS)}  # claims on both workers, each standing by
    first = start_worker(kafka, tmp_path / "first", several)
    second = start_worker(kafka, tmp_path / "second", several, names=first.names)
    try:
        process(first, corpus(60))
        history = asyncio.run(end_offsets(kafka, changelog(first)))
        assert history >= 20  # claims on every partition, so each standby has some to read
        # Each changelog message is read by the standby of its partition, on the other worker.
        wait_until(lambda: restored(first) + restored(second) == history, "the standbys caught up")
        assert restored(first) > 0 and restored(second) > 0  # both stand by for the other's partitions
        claims = claims_tracked(first) + claims_tracked(second)  # each counts the partitions it serves
        before = restored(second)
        assert stop_worker(first) == 0
        wait_until(lambda: claims_tracked(second) == claims, "the survivor serves every claim")
        assert restored(second) == before  # its standby stores were current: nothing read again
    finally:
        stop_worker(second)
        if first.process.poll() is None:
            stop_worker(first)
