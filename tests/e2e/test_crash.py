"""Nothing lost under crashes: kill -9 the worker again and again, stop the broker mid-stream,
and check that every input article has its enriched output (at least once; duplicates counted)."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaConsumer

from streams.contracts.topics import TopicNames
from streams.kafka.clients import ensure_topics, group_caught_up, topic_partitions
from tests.e2e.conftest import LocalBroker, WorkerProcess, produce, start_worker, wait_ready, worker_topics

pytestmark = pytest.mark.kafka

ARTICLES = int(os.environ.get("SITREP_CRASH_ARTICLES", "10000"))
KILLS = 5
TEMPLATES = [
    "Russia sent {n} tanks to Belarus on Monday, the defence ministry said.",
    "{n} soldiers were killed in shelling near Kharkiv, officials said.",
    "Iran delivered {n} drones to Russia, according to Western officials.",
    "Analysts expect China to hold {n} more military drills near Taiwan.",
    "The weather was calm and markets were closed for the holiday.",
]


def corpus(count: int) -> list[tuple[bytes, bytes]]:
    rng = random.Random(7)
    messages = []
    for index in range(count):
        body = " ".join(rng.choice(TEMPLATES).format(n=rng.randint(2, 5000)) for _ in range(3))
        article_id = f"crash-{index:05d}"
        messages.append((article_id.encode(), orjson.dumps({"id": article_id, "body": body})))
    return messages


class EnrichedCounter:
    """Counts enriched article ids as they come out, in a thread of its own."""

    def __init__(self, bootstrap: str, topic: str) -> None:
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run(bootstrap, topic)), daemon=True)
        self._thread.start()

    async def _run(self, bootstrap: str, topic: str) -> None:
        consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, auto_offset_reset="earliest")
        await consumer.start()
        try:
            partitions = await topic_partitions(consumer, [topic])
            consumer.assign(partitions)
            await consumer.seek_to_beginning(*partitions)
            while not self._stop.is_set():
                try:
                    batches = await consumer.getmany(timeout_ms=200)
                except Exception:  # the broker may be down for a while in the restart test
                    continue
                with self._lock:
                    for records in batches.values():
                        self.counts.update(r.key.decode() for r in records if r.key)
        finally:
            await consumer.stop()

    def snapshot(self) -> tuple[int, int]:
        """(distinct ids, messages) seen so far."""
        with self._lock:
            return len(self.counts), sum(self.counts.values())

    def wait_for(
        self,
        condition: Callable[[int, int], bool],
        timeout: float,
        what: str,
        explain: Callable[[], str] = lambda: "",
    ) -> None:
        deadline = time.monotonic() + timeout
        while not condition(*self.snapshot()):
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}; distinct, total = {self.snapshot()}; {explain()}")
            time.sleep(0.05)

    def missing(self, messages: list[tuple[bytes, bytes]], show: int = 20) -> str:
        """The first `show` input ids with no output yet, and how many there are."""
        with self._lock:
            absent = [key.decode() for key, _ in messages if key.decode() not in self.counts]
        return f"{len(absent)} ids, first {absent[:show]}"

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


@pytest.fixture
def crash_topics(kafka: str) -> Iterator[TopicNames]:
    names = TopicNames(f"crash{random.randrange(1 << 30):x}.")
    asyncio.run(ensure_topics(kafka, worker_topics(names), 4))
    yield names


def raw_state(worker: WorkerProcess | None) -> str:
    """Whether the worker's group committed all of articles.raw (then a missing output is lost,
    not late), and the tail of its log: what a timeout needs to be told apart."""
    if worker is None:
        return "no worker"
    committed = asyncio.run(group_caught_up(worker.bootstrap, worker.app_id, [worker.names.raw]))
    alive = worker.process.poll() is None
    return f"raw fully committed: {committed}; worker alive: {alive}; log tail:\n{worker.log()[-2500:]}"


@pytest.mark.timeout(1200)  # its own waits (up to 600 s for the last article) say more than a kill at 300 s
def test_kill_9_five_times_loses_no_article(kafka: str, tmp_path: Path, crash_topics: TopicNames) -> None:
    messages = corpus(ARTICLES)
    asyncio.run(produce(kafka, crash_topics.raw, messages))
    counter = EnrichedCounter(kafka, crash_topics.enriched)
    rng = random.Random(11)
    kill_points = sorted(rng.sample(range(ARTICLES // 10, ARTICLES * 8 // 10), KILLS))
    recoveries = []
    duplicates_at_kill = []  # duplicates so far at each kill: the difference is what a kill replayed
    worker: WorkerProcess | None = None
    try:
        worker = start_worker(kafka, tmp_path, names=crash_topics)
        for point in kill_points:
            counter.wait_for(lambda distinct, _, p=point: distinct >= p, 300, f"{point} articles")
            distinct, total = counter.snapshot()
            duplicates_at_kill.append(total - distinct)
            worker.process.send_signal(signal.SIGKILL)
            worker.process.wait()
            killed_at = time.monotonic()
            worker = start_worker(kafka, tmp_path, names=crash_topics)  # returns once it owns partitions
            recoveries.append(time.monotonic() - killed_at)
        counter.wait_for(
            lambda distinct, _: distinct >= ARTICLES,
            600,
            "every article",
            lambda: f"missing: {counter.missing(messages)}; {raw_state(worker)}",
        )
    finally:
        counter.stop()
        _kill(worker)
    distinct, total = counter.snapshot()
    expected = {key.decode() for key, _ in messages}
    assert set(counter.counts) == expected, "an article was lost"
    per_kill = [
        b - a for a, b in zip(duplicates_at_kill, [*duplicates_at_kill[1:], total - distinct], strict=True)
    ]
    print(
        f"\ncrash test: {ARTICLES} articles, {KILLS} kill -9, lost {ARTICLES - distinct}, "
        f"duplicates {total - distinct} (per kill: {', '.join(map(str, per_kill))}), "
        f"recovery after kill (s): {', '.join(f'{r:.1f}' for r in recoveries)}"
    )


@pytest.mark.timeout(1200)
def test_broker_stop_and_restart_mid_stream_loses_no_article(tmp_path: Path, own_broker: LocalBroker) -> None:
    bootstrap = own_broker.bootstrap
    names = TopicNames("bounce.")
    count = max(ARTICLES // 5, 500)
    messages = corpus(count)
    counter: EnrichedCounter | None = None
    worker: WorkerProcess | None = None
    try:
        asyncio.run(ensure_topics(bootstrap, worker_topics(names), 4))
        asyncio.run(produce(bootstrap, names.raw, messages))
        counter = EnrichedCounter(bootstrap, names.enriched)
        worker = start_worker(bootstrap, tmp_path, names=names)
        counter.wait_for(lambda distinct, _: distinct >= count // 3, 300, "a third of the articles")
        own_broker.stop()
        stopped_at = time.monotonic()
        own_broker.start()
        before = counter.snapshot()[0]
        counter.wait_for(lambda distinct, _: distinct > before, 180, "progress after the broker came back")
        recovery = time.monotonic() - stopped_at
        counter.wait_for(lambda distinct, _: distinct >= count, 600, "every article")
        assert worker.process.poll() is None, "the worker should have ridden out the broker restart"
        wait_ready(worker)
        distinct, total = counter.snapshot()
        print(
            f"\nbroker restart: {count} articles, lost {count - distinct}, duplicates {total - distinct}, "
            f"recovery {recovery:.1f} s"
        )
    finally:
        if counter is not None:
            counter.stop()
        _kill(worker)


OUTAGE_SECONDS = float(os.environ.get("SITREP_OUTAGE_SECONDS", "45"))


@pytest.mark.timeout(1800)
def test_kills_then_a_long_broker_outage_lose_nothing(tmp_path: Path, own_broker: LocalBroker) -> None:
    """Issue 15's outage case: two kill -9, then the broker away for OUTAGE_SECONDS mid-stream;
    nothing lost, and the duplicates each failure caused are reported."""
    bootstrap = own_broker.bootstrap
    names = TopicNames("outage.")
    count = max(ARTICLES * 6 // 10, 600)
    messages = corpus(count)
    counter: EnrichedCounter | None = None
    worker: WorkerProcess | None = None
    failures: list[tuple[str, int]] = []  # (failure, duplicates seen when it struck)
    try:
        asyncio.run(ensure_topics(bootstrap, worker_topics(names), 4))
        asyncio.run(produce(bootstrap, names.raw, messages))
        counter = EnrichedCounter(bootstrap, names.enriched)
        worker = start_worker(bootstrap, tmp_path, names=names)
        for share in (5, 3):  # kill -9 at a fifth and at a third of the stream
            counter.wait_for(lambda distinct, _, s=share: distinct >= count // s, 300, f"1/{share} of it")
            failures.append(("kill -9", _duplicates(counter)))
            worker.process.send_signal(signal.SIGKILL)
            worker.process.wait()
            worker = start_worker(bootstrap, tmp_path, names=names)
        counter.wait_for(lambda distinct, _: distinct >= count // 2, 300, "half of the articles")
        failures.append((f"broker away {OUTAGE_SECONDS:.0f} s", _duplicates(counter)))
        own_broker.stop()
        time.sleep(OUTAGE_SECONDS)  # the outage itself, not a wait for readiness
        own_broker.start()
        if worker.process.poll() is not None:  # gave up (exit 75): start it again, as its supervisor would
            failures.append(("worker exit, restarted", _duplicates(counter)))
            worker = start_worker(bootstrap, tmp_path, names=names)
        counter.wait_for(
            lambda distinct, _: distinct >= count,
            600,
            "every article",
            lambda: f"missing: {counter.missing(messages) if counter else ''}; {raw_state(worker)}",
        )
        distinct, total = counter.snapshot()
    finally:
        if counter is not None:
            counter.stop()
        _kill(worker)
    assert distinct == count, "an article was lost"
    marks = [seen for _, seen in failures] + [total - distinct]
    per_failure = ", ".join(f"{what}: {marks[i + 1] - seen}" for i, (what, seen) in enumerate(failures))
    print(
        f"\noutage test: {count} articles, lost {count - distinct}, "
        f"duplicates {total - distinct} ({per_failure})"
    )


def _duplicates(counter: EnrichedCounter) -> int:
    distinct, total = counter.snapshot()
    return total - distinct


def test_sigterm_stops_cleanly_and_commits(kafka: str, tmp_path: Path, crash_topics: TopicNames) -> None:
    count = 1500
    messages = corpus(count)
    asyncio.run(produce(kafka, crash_topics.raw, messages))
    counter = EnrichedCounter(kafka, crash_topics.enriched)
    worker: WorkerProcess | None = None
    try:
        worker = start_worker(kafka, tmp_path, names=crash_topics)
        counter.wait_for(lambda distinct, _: distinct >= count // 4, 300, "a quarter of the articles")
        asked = time.monotonic()
        worker.process.terminate()
        code = worker.process.wait(timeout=60)
        stop_seconds = time.monotonic() - asked
        assert code == 0, worker.log()[-3000:]
        assert stop_seconds < 30
        stopped_at = counter.snapshot()
        worker = start_worker(kafka, tmp_path, names=crash_topics)
        counter.wait_for(lambda distinct, _: distinct >= count, 300, "every article")
    finally:
        counter.stop()
        _kill(worker)
    distinct, total = counter.snapshot()
    assert distinct == count
    # Offsets were committed on the way out: the restart redoes at most the batch that was in flight.
    assert total - distinct <= 200, (stopped_at, distinct, total)
    print(f"\nSIGTERM: exit 0 in {stop_seconds:.1f} s; duplicates after restart {total - distinct}")


def _kill(worker: WorkerProcess | None) -> None:
    if worker is not None and worker.process.poll() is None:
        worker.process.kill()
        worker.process.wait()
