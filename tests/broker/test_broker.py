"""The broker manager against a real Kafka broker: no mocks, since the point is that Kafka really runs.

Jars come from the shared cache in $SITREP_HOME (downloaded once); each test module
gets its own port and data dir. The tests share one broker and run in file order:
the stop test comes last.
"""

from __future__ import annotations

import os
import shutil
import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from streams import broker
from streams.broker.process import heap_options

pytestmark = [
    pytest.mark.kafka,
    pytest.mark.skipif(shutil.which("java") is None, reason="Kafka 4.x needs Java 17+ on PATH"),
]


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    port = broker.free_port()
    data_dir = tmp_path_factory.mktemp("broker")
    assert broker.start(port=port, data_dir=data_dir) == f"127.0.0.1:{port}"
    try:
        yield port, data_dir
    finally:
        broker.stop(port=port, data_dir=data_dir)


def test_status_reports_the_launched_broker(running: tuple[int, Path]) -> None:
    port, data_dir = running
    status = broker.status(port=port, data_dir=data_dir)
    assert status.running
    assert status.bootstrap == f"127.0.0.1:{port}"
    assert status.pid == int((data_dir / "broker.pid").read_text())
    os.kill(status.pid, 0)  # raises if the pid is not a live process
    # Logs reach the file only if an SLF4J provider for log4j2 is on the classpath.
    assert status.log_path == data_dir / "logs" / "server.log"
    assert "Kafka Server started" in status.log_path.read_text()
    assert broker.kafka_answers(status.bootstrap)


def test_the_launched_broker_runs_with_the_heap_it_was_given(running: tuple[int, Path]) -> None:
    pid = broker.status(port=running[0], data_dir=running[1]).pid
    assert pid is not None
    argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    assert [a.decode() for a in argv if a.startswith(b"-Xm")] == heap_options()


async def test_produce_consume_round_trip(running: tuple[int, Path]) -> None:
    bootstrap = f"127.0.0.1:{running[0]}"
    assert broker.kafka_answers(bootstrap)  # callable from inside a running event loop
    topic = f"roundtrip-{uuid.uuid4().hex[:8]}"  # auto-created on first produce
    sent = {(f"key-{i}".encode(), f"value-{i}".encode()) for i in range(20)}
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for key, value in sent:
            await producer.send_and_wait(topic, value, key=key)
    finally:
        await producer.stop()

    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"group-{topic}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        received: set[tuple[bytes | None, bytes | None]] = set()
        deadline = time.monotonic() + 30
        while len(received) < len(sent) and time.monotonic() < deadline:
            for batch in (await consumer.getmany(timeout_ms=500)).values():
                received.update((record.key, record.value) for record in batch)
        await consumer.commit()  # needs __consumer_offsets, which needs replication factor 1
        partitions = consumer.partitions_for_topic(topic) or set()
        committed = [await consumer.committed(TopicPartition(topic, p)) for p in partitions]
    finally:
        await consumer.stop()
    assert received == sent
    assert len(partitions) == 4  # num.partitions from the server.properties template
    assert sum(offset or 0 for offset in committed) == len(sent)


def test_start_again_returns_at_once(running: tuple[int, Path]) -> None:
    port, data_dir = running
    pid = broker.status(port=port, data_dir=data_dir).pid
    began = time.monotonic()
    assert broker.start(port=port, data_dir=data_dir) == f"127.0.0.1:{port}"
    assert time.monotonic() - began < 2.0
    assert broker.status(port=port, data_dir=data_dir).pid == pid  # no second broker


def test_stop_shuts_the_broker_down_cleanly(running: tuple[int, Path]) -> None:
    port, data_dir = running
    pid = broker.status(port=port, data_dir=data_dir).pid
    assert pid is not None
    assert broker.stop(port=port, data_dir=data_dir) is True
    status = broker.status(port=port, data_dir=data_dir)
    assert not status.running
    assert status.pid is None
    assert not (data_dir / "broker.pid").exists()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert (data_dir / "kraft" / ".kafka_cleanshutdown").exists()  # SIGTERM, not SIGKILL, ended it
    assert not broker.kafka_answers(status.bootstrap)
    assert broker.stop(port=port, data_dir=data_dir) is False


def test_broker_dying_at_startup_raises_with_its_log(tmp_path: Path) -> None:
    port = broker.free_port()
    with socket.socket() as squatter:  # holds the port but never speaks Kafka
        squatter.bind(("127.0.0.1", port))
        squatter.listen()
        with pytest.raises(broker.BrokerError, match="exited during startup") as failure:
            broker.start(port=port, data_dir=tmp_path, timeout=60)
    assert "Address already in use" in str(failure.value)
    assert not broker.status(port=port, data_dir=tmp_path).running
    assert not (tmp_path / "broker.pid").exists()


def test_free_port_can_be_bound() -> None:
    port = broker.free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))
    assert 1024 < port < 65536


def test_kafka_answers_is_false_on_a_closed_port() -> None:
    assert broker.kafka_answers(f"127.0.0.1:{broker.free_port()}") is False
