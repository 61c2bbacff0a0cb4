"""Scale-out runs of the pipeline benchmark: 1, 2 and 3 workers in one consumer group on an
8-partition topic, and one of three stopped mid-stream (no article may be lost).

Workers start and are all ready before the corpus is produced, so the figures do not
include the rebalances of workers joining one by one. The 2 cores of the bench machine are shared
with the broker, so the figure that says whether adding workers scales is CPU per article, not
articles/s: CPU-seconds per 1,000 articles at each count, and the efficiency (the one worker's
CPU per article over N workers' CPU per article: 1.0 when a worker added costs nothing extra per
article). Target: CPU per article flat within 15 % from 1 to 3 workers.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.harness import (
    Collected,
    Worker,
    collect,
    corpus,
    cpu_times,
    flow,
    new_prefix,
    produce,
    start_worker,
)
from streams.broker import free_port
from streams.contracts.topics import TopicNames
from streams.kafka.clients import ensure_topics

PARTITIONS = 8


def all_ready(workers: list[Worker], timeout: float = 180.0) -> None:
    """Until every worker answers /readyz 200 in one pass (a joining worker rebalances the others)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            for worker in workers:
                worker.wait_ready(timeout=max(deadline - time.monotonic(), 1))
            for worker in workers:
                worker.wait_ready(timeout=0.5)
            return
        except RuntimeError:
            if any(w.process.poll() is not None for w in workers):
                raise
    raise RuntimeError("workers not all ready")


def group(
    bootstrap: str, articles: int, count: int, env: dict[str, str], workdir: Path, *, stop_one_at: float = 0.0
) -> dict[str, Any]:
    """Drain `articles` with `count` workers; with stop_one_at, the last one is stopped at that share."""
    names = TopicNames(new_prefix())
    inputs = [topic for topic in names.all() if topic != names.claims]  # the worker makes its claims topic
    asyncio.run(ensure_topics(bootstrap, inputs, PARTITIONS))
    env = {**env, "SITREP_TOPIC_PARTITIONS": str(PARTITIONS)}
    workers = [start_worker(bootstrap, names.prefix, free_port(), workdir, env) for _ in range(count)]
    try:
        all_ready(workers)
        before = [sum(cpu_times(w.process.pid)) for w in workers]
        data = corpus(articles, "x")
        stopped: list[Worker] = []
        stopped_cpu: list[float] = []

        def maybe_stop(seen: int) -> None:
            if stop_one_at and not stopped and seen >= stop_one_at * articles:
                stopped.append(workers[-1])
                stopped_cpu.append(sum(cpu_times(workers[-1].process.pid)))  # its CPU up to the stop
                workers[-1].process.terminate()

        async def drain() -> tuple[Collected, Collected]:
            out, _ = await asyncio.gather(
                collect(bootstrap, names.enriched, {k for k, _ in data}, timeout=300, on_count=maybe_stop),
                produce(bootstrap, names.raw, data),
            )
            return await collect(bootstrap, names.raw, {k for k, _ in data}), out

        raw, out = asyncio.run(drain())
        live = [w for w in workers if w not in stopped]
        cpu = sum(sum(cpu_times(w.process.pid)) for w in live) + sum(stopped_cpu) - sum(before)
        result = flow(raw, out, sum(len(v) for _, v in data))
        result |= {
            "workers": count,
            "cpu_s_per_1k": round(cpu / max(len(out.first), 1) * 1000, 2),
            "distinct_ids_out": len(out.first),
            "ids_in": len(data),
            "duplicates": out.messages - len(out.first),
        }
        if stop_one_at:
            result["stopped_one_at_share"] = stop_one_at
            result["lost"] = len(data) - len(out.first)
        return result
    finally:
        for worker in workers:
            worker.stop()


COUNTS = (1, 2, 3)


def scale_out(
    bootstrap: str, articles: int, env: dict[str, str], *, stop_one: bool = False
) -> dict[str, Any]:
    """1, 2 and 3 workers; with `stop_one`, then 3 with one stopped a third of the way."""
    with tempfile.TemporaryDirectory(prefix="sitrep-scale-") as tmp:
        runs = {f"{n}_workers": group(bootstrap, articles, n, env, Path(tmp)) for n in COUNTS}
        if stop_one:
            runs["stop_one_of_3"] = group(bootstrap, articles, 3, env, Path(tmp), stop_one_at=1 / 3)
    one = runs["1_workers"]
    cpu = {n: runs[f"{n}_workers"]["cpu_s_per_1k"] for n in COUNTS}
    for n in COUNTS[1:]:
        runs[f"ratio_{n}_to_1"] = round(runs[f"{n}_workers"]["articles_per_s"] / one["articles_per_s"], 3)
    runs["cpu_s_per_1k"] = {str(n): c for n, c in cpu.items()}
    runs["efficiency"] = {str(n): round(cpu[1] / c, 3) if c else float("nan") for n, c in cpu.items()}
    low, high = min(cpu.values()), max(cpu.values())
    runs["cpu_spread"] = round(high / low, 3) if low else float("nan")
    return runs
