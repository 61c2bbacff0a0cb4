"""Memory over a long run: one worker drains N articles and its resident memory is sampled
every `--every` articles; the report is RSS at each checkpoint and the ratio of the last to
the first (target: within 10 % from the 10,000th to the 100,000th article).

Short articles (`--chars`, default 700) keep a 100,000-article run near ten minutes. The
records carry event times 10 ms apart (100 articles per second of event time), so state
kept for a window of event time (claims: SITREP_CLAIM_RETENTION_SECONDS) reaches its steady
size early and what grows after that is a leak. RSS is the median of the samples taken
(one a second) while the worker drained each interval, so transient peaks do not decide it.

With `--heap` the worker runs under tracemalloc (bench/heap.py) and the heap is snapshotted after
warm-up (the first fifth of the articles) and at the end; the lines that grew most in between are
reported. It slows the worker, so its RSS figures are not comparable with a run without it.

Run: python bench/soak.py [--articles 100000] [--every 10000] [--heap] [--env SITREP_STORE=rocksdb://]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import corpus, new_prefix, produce, rss_mb, start_worker
from bench.heap import grown, request, traced_mb
from streams.broker import free_port
from streams.cli.progress import Progress
from streams.config import Settings
from streams.contracts.topics import TopicNames
from streams.kafka.clients import ensure_topics

SPACING_MS = 10  # event time between two articles
# The claims table grows with the traffic of its retention window by design (README, "Claims and
# alerts"); a window of 5 s of event time (500 articles) lets it reach its steady size early.
STEADY = {"SITREP_CLAIM_RETENTION_SECONDS": "5"}
WARM_UP = 0.2  # share of the articles after which growth counts (the issue: from the 20,000th of 100,000)


def metric(port: int, name: str) -> int:
    """One unlabelled sample of the worker's /metrics (0 before it is exported)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as reply:
        for line in reply.read().decode().splitlines():
            if line.startswith(name + " "):
                return int(float(line.split()[1]))
    return 0


def soak(
    bootstrap: str, articles: int, every: int, chars: int, env: dict[str, str], *, heap: bool = False
) -> dict[str, Any]:
    """Drain `articles` with one worker, RSS sampled at every `every`; with `heap`, the heap diff too."""
    env = {**STEADY, **env}
    names = TopicNames(new_prefix())
    inputs = [topic for topic in names.all() if topic != names.claims]  # the worker makes its claims topic
    asyncio.run(ensure_topics(bootstrap, inputs, Settings().topic_partitions))
    progress = Progress(articles, "producing")
    first_ms = int(time.time() * 1000) - articles * SPACING_MS
    batch = 10_000
    for start in range(0, articles, batch):
        chunk = corpus(min(batch, articles - start), f"soak{start}", seed=start, chars=chars)
        asyncio.run(
            produce(bootstrap, names.raw, chunk, event_times=(first_ms + start * SPACING_MS, SPACING_MS))
        )
        progress.advance(len(chunk), len(chunk))
    progress.finish()
    samples: list[dict[str, float]] = []
    interval: list[float] = []
    snapshots: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as workdir:
        heap_dir = Path(workdir) / "heap" if heap else None
        worker = start_worker(bootstrap, names.prefix, free_port(), Path(workdir), env, heap_dir=heap_dir)
        try:
            worker.wait_ready()
            started = time.monotonic()
            progress = Progress(articles, "draining")
            checkpoint, done = every, 0
            while checkpoint <= articles:
                if worker.process.poll() is not None:
                    raise RuntimeError(worker.log.read_text(errors="replace")[-3000:])
                done = metric(worker.port, "sitrep_articles_consumed_total")
                progress.advance(done - progress.done, done - progress.done)
                interval.append(rss_mb(worker.process.pid))
                if done >= checkpoint:
                    claims = metric(worker.port, "sitrep_claims_tracked")
                    rss = statistics.median(interval)
                    samples.append(
                        {
                            "articles": done,
                            "rss_mb": round(rss, 1),
                            "peak_mb": max(interval),
                            "claims": claims,
                        }
                    )
                    interval.clear()
                    if heap_dir and ("warm" not in snapshots and done >= WARM_UP * articles):
                        snapshots["warm"] = request(heap_dir, "warm")
                    checkpoint += every
                else:
                    time.sleep(1.0)  # a sampling interval: the worker runs on its own
            progress.finish()
            seconds = time.monotonic() - started
            if heap_dir:
                snapshots["end"] = request(heap_dir, "end")
        finally:
            worker.stop()
    first, last = samples[0]["rss_mb"], samples[-1]["rss_mb"]
    warm = next(s for s in samples if s["articles"] >= WARM_UP * articles)
    report: dict[str, Any] = {
        "articles": articles,
        "chars": chars,
        "env": env,
        "samples": samples,
        "rss_growth": round(last / first, 3),
        "warm_up_at": warm["articles"],
        "rss_growth_after_warm_up": round(last / warm["rss_mb"], 3),
        "articles_per_s": round(articles / seconds, 1),
        "heap": heap,
    }
    return report | (heap_report(snapshots) if heap else {})


def heap_report(snapshots: dict[str, Any]) -> dict[str, Any]:
    """The lines that grew from the warm-up snapshot to the end one, and the traced totals."""
    return {
        "heap_grown": grown(snapshots["warm"], snapshots["end"]),
        "heap_traced_mb": {name: traced_mb(snap) for name, snap in snapshots.items()},
    }


def lines(report: dict[str, Any]) -> str:
    """RSS at each checkpoint, the growth after warm-up and, with --heap, what grew."""
    out = [
        f"{s['articles']:>9,} articles  RSS {s['rss_mb']:7.1f} MB  {s['claims']:>8,} claims"
        for s in report["samples"]
    ]
    out.append(
        f"RSS last / at article {report['warm_up_at']:,}: {report['rss_growth_after_warm_up']:.3f}; "
        f"last / first: {report['rss_growth']:.3f} ({report['articles_per_s']} articles/s)"
    )
    if "heap_traced_mb" in report:
        traced = report["heap_traced_mb"]
        out.append(f"Python heap traced: {traced['warm']} MB after warm-up, {traced['end']} MB at the end")
    for row in report.get("heap_grown", []):
        out.append(f"  heap +{row['grew_kb']:>9,.1f} KiB ({row['size_kb']:,.1f} KiB live)  {row['where']}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", default=Settings.from_env().bootstrap_servers)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--every", type=int, default=10_000)
    parser.add_argument("--chars", type=int, default=700)
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE for the worker")
    parser.add_argument("--heap", action="store_true", help="diff tracemalloc snapshots (slower worker)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    env = dict(item.split("=", 1) for item in args.env)
    report = soak(args.bootstrap, args.articles, args.every, args.chars, env, heap=args.heap)
    print(lines(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
