"""Benchmark the classifier on one core beside a bare one-regex baseline over the same texts.

The corpus is the bodies of ../shared/data/dev-articles.jsonl plus the seed
article; throughput is also given in seed-sized articles per second.
Run: python bench/classify.py [--json] [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streams.classify import classify  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
BASELINE = re.compile(r"\b(?:troops|missiles|killed|deploy\w*|suppl\w*)\b", re.IGNORECASE)
SEED_CHARS = 2746  # length of the seed article body


def corpus() -> list[str]:
    texts: list[str] = []
    articles = DATA / "dev-articles.jsonl"
    if articles.exists():
        texts += [
            json.loads(line)["body"] for line in articles.read_text(encoding="utf-8").splitlines() if line
        ]
    seed = DATA / "seed-article.txt"
    if seed.exists():
        texts.append(seed.read_text(encoding="utf-8"))
    if not texts:
        raise SystemExit(f"no corpus found under {DATA}")
    return texts


def _time(fn: Callable[[str], Any], texts: list[str], rounds: int) -> list[float]:
    """Per-article seconds, best of `rounds` for each article (less scheduler noise)."""
    best = [float("inf")] * len(texts)
    for _ in range(rounds):
        for i, text in enumerate(texts):
            t0 = time.perf_counter()
            fn(text)
            best[i] = min(best[i], time.perf_counter() - t0)
    return best


def run(rounds: int) -> dict[str, Any]:
    texts = corpus()
    for text in texts:  # warm up: data files, caches
        classify(text)
    per = _time(classify, texts, rounds)
    base = _time(BASELINE.findall, texts, rounds)
    chars = sum(len(t) for t in texts)
    total, base_total = sum(per), sum(base)
    ms = sorted(p * 1e3 for p in per)
    return {
        "articles": len(texts),
        "mean_chars": round(chars / len(texts)),
        "articles_per_s": round(len(texts) / total),
        "seed_sized_articles_per_s": round(chars / SEED_CHARS / total),
        "p50_ms": round(statistics.median(ms), 4),
        "p99_ms": round(ms[min(len(ms) - 1, int(0.99 * len(ms)))], 4),
        "mb_per_s": round(chars / total / 1e6, 2),
        "baseline_articles_per_s": round(len(texts) / base_total),
        "baseline_mb_per_s": round(chars / base_total / 1e6, 2),
        "ratio_to_baseline": round(total / base_total, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args(argv)
    r = run(args.rounds)
    if args.json:
        print(json.dumps(r, indent=2))
        return 0
    print(f"corpus: {r['articles']} articles, {r['mean_chars']} chars on average")
    print(
        f"classify: {r['articles_per_s']} articles/s ({r['seed_sized_articles_per_s']} seed-sized/s), "
        f"p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, {r['mb_per_s']} MB/s"
    )
    print(f"baseline (one regex): {r['baseline_articles_per_s']} articles/s, {r['baseline_mb_per_s']} MB/s")
    print(f"classify / baseline cost ratio: {r['ratio_to_baseline']}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
