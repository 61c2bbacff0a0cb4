"""Memory over a long run: one worker drains N articles and its resident memory is sampled
every `--every` articles; the report is RSS at each checkpoint and the ratio of the last to
the first (target: within 10 % from the 10,000th to the 100,000th article).

Short articles (`--chars`, default 700) keep a 100,000-article run near ten minutes. The
records carry event times 10 ms apart (100 articles per second of event time), so state
kept for a window of event time (claims: SITREP_CLAIM_RETENTION_SECONDS) reaches its steady
size early and what grows after that is a leak. RSS is the median of the samples taken
(one a second) while the worker drained each interval, so transient peaks do not decide it.

Run: python bench/soak.py [--articles 100000] [--every 10000] [--env SITREP_STORE=rocksdb://]
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
from streams.broker import free_port
from streams.cli.progress import Progress
from streams.config import Settings
from streams.contracts.topics import TopicNames
from streams.kafka.clients import ensure_topics

SPACING_MS = 10  # event time between two articles


def metric(port: int, name: str) -> int:
    """One unlabelled sample of the worker's /metrics (0 before it is exported)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as reply:
        for line in reply.read().decode().splitlines():
            if line.startswith(name + " "):
                return int(float(line.split()[1]))
    return 0


def soak(bootstrap: str, articles: int, every: int, chars: int, env: dict[str, str]) -> dict[str, Any]:
    names = TopicNames(new_prefix())
    asyncio.run(ensure_topics(bootstrap, names.all(), Settings().topic_partitions))
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
    with tempfile.TemporaryDirectory() as workdir:
        worker = start_worker(bootstrap, names.prefix, free_port(), Path(workdir), env)
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
                    checkpoint += every
                else:
                    time.sleep(1.0)  # a sampling interval: the worker runs on its own
            progress.finish()
            seconds = time.monotonic() - started
        finally:
            worker.stop()
    first, last = samples[0]["rss_mb"], samples[-1]["rss_mb"]
    return {
        "articles": articles,
        "chars": chars,
        "env": env,
        "samples": samples,
        "rss_growth": round(last / first, 3),
        "articles_per_s": round(articles / seconds, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", default=Settings.from_env().bootstrap_servers)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--every", type=int, default=10_000)
    parser.add_argument("--chars", type=int, default=700)
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE for the worker")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    env = dict(item.split("=", 1) for item in args.env)
    report = soak(args.bootstrap, args.articles, args.every, args.chars, env)
    for sample in report["samples"]:
        print(
            f"{sample['articles']:>9,} articles  RSS {sample['rss_mb']:7.1f} MB"
            f"  {sample['claims']:>8,} claims"
        )
    print(f"RSS last / first: {report['rss_growth']:.3f} ({report['articles_per_s']} articles/s)")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
