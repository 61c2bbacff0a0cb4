"""Shared pieces of the pipeline benchmark: the corpus, topics, producing, counting outputs,
worker processes and their CPU and memory from /proc (psutil is not in the venv)."""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.classify import _DIGIT, _NAME, _SENTENCE, _SWAP, SEED_CHARS, sources  # noqa: E402
from streams.kafka.clients import topic_partitions  # noqa: E402

Article = tuple[bytes, bytes]  # key (the id), JSON value


def corpus(n: int, tag: str, seed: int = 11, chars: int = SEED_CHARS) -> list[Article]:
    """`n` articles of about `chars` characters (default: seed-sized): paragraphs of ../shared/data
    recombined, names and digits varied."""
    rng = random.Random(seed)
    paragraphs = [p for text in sources() for p in text.split("\n") if p.strip()]
    articles: list[Article] = []
    for i in range(n):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < chars:
            sentences = _SENTENCE.split(rng.choice(paragraphs))
            rng.shuffle(sentences)
            text = _NAME.sub(lambda _: rng.choice(_SWAP), " ".join(sentences))
            parts.append(_DIGIT.sub(lambda _: str(rng.randrange(10)), text))
        article_id = f"{tag}-{i:06d}"
        day = 1 + i % 28
        value = {
            "id": article_id,
            "title": parts[0][:80],
            "body": "\n".join(parts),
            "published_at": f"2025-03-{day:02d}T12:00:00Z",
            "source": f"outlet-{i % 7}",
            "url": f"https://bench.example/{article_id}",
        }
        articles.append((article_id.encode(), orjson.dumps(value)))
    return articles


def new_prefix() -> str:
    return f"bench{uuid.uuid4().hex[:8]}."


async def produce(
    bootstrap: str,
    topic: str,
    articles: Iterable[Article],
    rate: float | None = None,
    event_times: tuple[int, int] | None = None,
) -> None:
    """Send all articles; at `rate` per second when given (paced from one clock), else as fast as acked.
    `event_times` (first, step) in ms sets the record timestamps instead of the send time."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, linger_ms=0 if rate else 10, max_batch_size=256 * 1024
    )
    await producer.start()
    try:
        pending = []
        started = time.monotonic()
        for i, (key, value) in enumerate(articles):
            if rate:
                ahead = started + i / rate - time.monotonic()
                if ahead > 0:
                    await asyncio.sleep(ahead)
            timestamp = event_times[0] + i * event_times[1] if event_times else None
            pending.append(await producer.send(topic, value, key=key, timestamp_ms=timestamp))
            if len(pending) >= 1000:
                await asyncio.gather(*pending)
                pending.clear()
        await asyncio.gather(*pending)
    finally:
        await producer.stop()


@dataclass
class Collected:
    """Output records by key: the first timestamp (ms) of each, how many messages, their headers."""

    first: dict[bytes, int] = field(default_factory=dict)
    messages: int = 0
    headers: dict[bytes, list[tuple[str, bytes]]] = field(default_factory=dict)
    processed: dict[bytes, int] = field(default_factory=dict)  # enriched records' processed_at, in ms


async def collect(
    bootstrap: str,
    topic: str,
    want: set[bytes],
    *,
    timeout: float = 600.0,
    from_end: bool = False,
    on_count: Callable[[int], None] | None = None,
    positioned: asyncio.Event | None = None,
    processed: bool = False,
) -> Collected:
    """Read `topic` until every key of `want` was seen (or timeout); other keys are ignored.
    `processed`: also keep each enriched record's `processed_at` (taken after classifying).

    `positioned` is set once the start offsets are resolved (seek_to_end is lazy): a caller that
    produces only after it cannot have records land before the point the reading starts from."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, fetch_max_wait_ms=100
    )
    await consumer.start()
    found = Collected()
    try:
        partitions = await topic_partitions(consumer, [topic])
        consumer.assign(partitions)
        await (consumer.seek_to_end if from_end else consumer.seek_to_beginning)(*partitions)
        if positioned is not None:
            for partition in partitions:
                await consumer.position(partition)
            positioned.set()
        deadline = time.monotonic() + timeout
        while len(found.first) < len(want) and time.monotonic() < deadline:
            for records in (await consumer.getmany(timeout_ms=200, max_records=2000)).values():
                for r in records:
                    if r.key in want:
                        found.messages += 1
                        found.first.setdefault(r.key, r.timestamp)
                        found.headers[r.key] = list(r.headers)
                        if processed and r.key not in found.processed:
                            found.processed[r.key] = _epoch_ms(orjson.loads(r.value)["processed_at"])
            if on_count is not None:
                on_count(len(found.first))
    finally:
        await consumer.stop()
    return found


def _epoch_ms(iso: str) -> int:
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def flow(raw: Collected, out: Collected, raw_bytes: int) -> dict[str, Any]:
    """Throughput from the first to the last output timestamp, and per-article end-to-end latency."""
    stamps = sorted(out.first.values())
    span = max((stamps[-1] - stamps[0]) / 1000, 1e-3) if stamps else float("nan")
    n = len(stamps)
    lat = [out.first[k] - raw.first[k] for k in out.first if k in raw.first]
    return {
        "articles": n,
        "articles_per_s": round((n - 1) / span, 1),
        "mb_per_s": round(raw_bytes * (n - 1) / max(n, 1) / span / 1e6, 3),
        "latency_p50_ms": percentile(lat, 0.50),
        "latency_p95_ms": percentile(lat, 0.95),
        "latency_p99_ms": percentile(lat, 0.99),
        "latency_mean_ms": round(statistics.fmean(lat), 1) if lat else float("nan"),
    }


def cpu_times(pid: int) -> tuple[float, float]:
    """(utime, stime) of a process in seconds, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def run_queue_ms(pid: int) -> tuple[float, float]:
    """(on CPU, waiting on a run queue) in ms, summed over the process's threads (/proc/.../schedstat):
    the second is the time the process was ready to run but had no core."""
    on_cpu = waiting = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            ran, waited, _ = (task / "schedstat").read_text().split()
        except (OSError, ValueError):
            continue  # a thread that ended meanwhile
        on_cpu, waiting = on_cpu + int(ran), waiting + int(waited)
    return on_cpu / 1e6, waiting / 1e6


def peak_rss_mb(pid: int) -> float:
    return _status_mb(pid, "VmHWM:")


def rss_mb(pid: int) -> float:
    return _status_mb(pid, "VmRSS:")


def _status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class Worker:
    """A `python -m streams.cli worker` child process."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def wait_ready(self, timeout: float = 120.0) -> float:
        """Poll /readyz until 200 (partitions assigned); returns the monotonic time it answered."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited: {self.log.read_text(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/readyz", timeout=2) as reply:
                    if reply.status == 200:
                        return time.monotonic()
            except OSError:
                time.sleep(0.1)  # poll interval, not a stand-in for readiness
        raise RuntimeError(f"worker not ready in {timeout} s: {self.log.read_text(errors='replace')[-3000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_worker(
    bootstrap: str,
    prefix: str,
    port: int,
    workdir: Path,
    env_extra: dict[str, str] | None = None,
    *,
    heap_dir: Path | None = None,
) -> Worker:
    """With `heap_dir`, the worker runs under tracemalloc and answers snapshot requests (bench/heap.py)."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        {
            "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
            "SITREP_TOPIC_PREFIX": prefix,
            "SITREP_WEB_PORT": str(port),
            "SITREP_DATA_DIR": str(workdir / f"data-{port}"),
            "SITREP_LOG_LEVEL": "warning",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(env_extra or {})
    log = workdir / f"worker-{port}.log"
    with log.open("wb") as out:
        command = ["-m", "bench.heap", str(heap_dir)] if heap_dir else ["-m", "streams.cli"]
        process = subprocess.Popen(
            [sys.executable, *command, "worker"], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    return Worker(process, port, log)
