"""End-to-end fixtures: a real Apache Kafka broker and real worker processes.

The broker is the one named by KAFKA_BOOTSTRAP_SERVERS when it answers (CI starts one
with `sitrep broker start`), else the session starts its own on a free port.
Each test module gets its own topic prefix and consumer group, so modules never
see each other's messages.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord

from streams import broker
from streams.config import Settings
from streams.contracts.topics import TopicNames
from streams.kafka.clients import ensure_topics, group_caught_up, topic_partitions
from streams.kafka.probe import kafka_answers

pytestmark = pytest.mark.kafka


@dataclass
class LocalBroker:
    """A broker of a test's own on a free port, which the test may stop and start again (an outage)
    without touching the shared one."""

    data_dir: Path
    port: int = field(default_factory=broker.free_port)
    bootstrap: str = ""

    def start(self) -> str:
        self.bootstrap = broker.start(port=self.port, data_dir=self.data_dir)
        return self.bootstrap

    def stop(self) -> None:
        broker.stop(port=self.port, data_dir=self.data_dir)


@contextmanager
def local_broker(data_dir: Path) -> Iterator[LocalBroker]:
    """A LocalBroker, started, and stopped at the end whatever happened."""
    own = LocalBroker(data_dir)
    own.start()
    try:
        yield own
    finally:
        own.stop()


@pytest.fixture
def own_broker(tmp_path: Path) -> Iterator[LocalBroker]:
    with local_broker(tmp_path / "broker") as own:
        yield own


@pytest.fixture(scope="session")
def kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    given = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if given and kafka_answers(given):
        yield given
        return
    with local_broker(tmp_path_factory.mktemp("broker")) as own:
        yield own.bootstrap


@dataclass
class WorkerProcess:
    """A `sitrep worker` subprocess with its own topics, group and web port."""

    bootstrap: str
    names: TopicNames
    web_port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def app_id(self) -> str:
        return app_id_for(self.names.prefix)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def app_id_for(prefix: str) -> str:
    return Settings(topic_prefix=prefix).app_id  # derived from the prefix, as the worker does


def wait_caught_up(worker: WorkerProcess, topics: list[str], timeout: float = 60.0) -> None:
    """Poll until the worker's group has committed everything on `topics` (so its outputs are out)."""
    deadline = time.monotonic() + timeout
    while not asyncio.run(group_caught_up(worker.bootstrap, worker.app_id, topics)):
        if time.monotonic() > deadline:
            pytest.fail(f"the worker did not catch up on {topics} in {timeout} s")
        time.sleep(0.3)


def worker_env(bootstrap: str, prefix: str, web_port: int, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
            "SITREP_TOPIC_PREFIX": prefix,
            "SITREP_APP_ID": app_id_for(prefix),
            "SITREP_WEB_PORT": str(web_port),
            "SITREP_DATA_DIR": str(data_dir),
            "SITREP_LOG_LEVEL": "info",
        }
    )
    return env


def worker_topics(names: TopicNames) -> list[str]:
    """The topics a test creates before a worker starts: all but the claims topic, which the worker
    creates with its own partition count (SITREP_CLAIM_PARTITIONS, runtime/worker.claim_partitions)."""
    return [topic for topic in names.all() if topic != names.claims]


def start_worker(
    bootstrap: str,
    tmp: Path,
    env_extra: dict[str, str] | None = None,
    names: TopicNames | None = None,
    wait: bool = True,
) -> WorkerProcess:
    """A worker on new topics, or on `names` (a restart: same topics, same consumer group)."""
    if names is None:
        names = TopicNames(f"t{uuid.uuid4().hex[:8]}.")
        asyncio.run(ensure_topics(bootstrap, worker_topics(names), 4))
    web_port = broker.free_port()
    env = worker_env(bootstrap, names.prefix, web_port, tmp / "worker")
    env.update(env_extra or {})
    log_path = tmp / f"worker-{web_port}.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "streams.cli", "worker"],
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    worker = WorkerProcess(bootstrap, names, web_port, process, log_path)
    if wait:
        wait_ready(worker)
    return worker


def wait_ready(worker: WorkerProcess, timeout: float = 90.0) -> None:
    """Poll /readyz (partitions assigned) until 200; fail with the worker's log if it dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.process.poll() is not None:
            pytest.fail(f"worker exited with {worker.process.returncode}:\n{worker.log()[-4000:]}")
        try:
            with urllib.request.urlopen(worker.url + "/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"worker not ready in {timeout} s:\n{worker.log()[-4000:]}")


def stop_worker(worker: WorkerProcess) -> int:
    worker.process.terminate()
    try:
        return worker.process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        worker.process.kill()
        return worker.process.wait()


# Small limits, so the tests can cross them without hitting the broker's own message size limit.
MAX_ARTICLE_BYTES = 256 * 1024
MAX_REQUEST_BYTES = 1024 * 1024
LIMITS = {
    "SITREP_MAX_ARTICLE_BYTES": str(MAX_ARTICLE_BYTES),
    "SITREP_MAX_REQUEST_BYTES": str(MAX_REQUEST_BYTES),
}


@pytest.fixture(scope="module")
def worker(kafka: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerProcess]:
    running = start_worker(kafka, tmp_path_factory.mktemp("worker"), LIMITS)
    yield running
    stop_worker(running)


async def produce(bootstrap: str, topic: str, messages: list[tuple[bytes | None, bytes]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, max_request_size=4 * 1024 * 1024)
    await producer.start()
    try:
        for key, value in messages:
            await producer.send_and_wait(topic, value, key=key)
    finally:
        await producer.stop()


Record = tuple[str, bytes | None, Any]


@asynccontextmanager
async def reader(bootstrap: str, topics: list[str]) -> AsyncIterator[AIOKafkaConsumer]:
    """A consumer (no group) assigned every partition of the topics, at the beginning."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = await topic_partitions(consumer, topics)
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        yield consumer
    finally:
        await consumer.stop()


async def consume_until(
    bootstrap: str, topics: list[str], done: Callable[[list[Record]], bool], timeout: float = 60.0
) -> list[Record]:
    """Read the topics from the beginning until `done(records)` holds; records are (topic, key, value)."""
    records: list[Record] = []
    async with reader(bootstrap, topics) as consumer:
        deadline = time.monotonic() + timeout
        while not done(records):
            if time.monotonic() > deadline:
                pytest.fail(f"timed out after {timeout} s with {len(records)} records from {topics}")
            for tp, batch in (await consumer.getmany(timeout_ms=500)).items():
                records.extend((tp.topic, r.key, orjson.loads(r.value)) for r in batch)
    return records


async def records_to_end(bootstrap: str, topics: list[str]) -> list[ConsumerRecord[bytes, bytes]]:
    """Everything on the topics now: from the beginning up to the end offsets taken at the start."""
    found: list[ConsumerRecord[bytes, bytes]] = []
    async with reader(bootstrap, topics) as consumer:
        ends = await consumer.end_offsets(list(consumer.assignment()))
        while [tp for tp, end in ends.items() if await consumer.position(tp) < end]:
            for batch in (await consumer.getmany(timeout_ms=500)).values():
                found.extend(batch)
    return found


async def consume_all(bootstrap: str, topics: list[str]) -> list[Record]:
    """Everything on the topics now, as (topic, key, decoded value)."""
    return [(r.topic, r.key, orjson.loads(r.value)) for r in await records_to_end(bootstrap, topics)]
