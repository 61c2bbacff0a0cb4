"""Benchmark the classifier on one core beside a bare one-regex baseline over the same texts.

The corpus is honest about caches: several hundred articles recombined from the
paragraphs and sentences of ../shared/data (dev articles + seed), with numbers and
party names swapped, so almost no sentence repeats across articles; any per-text
cache in streams.classify is also cleared before each timed call. Throughput is also
given in seed-sized articles per second. The previous classifier (by default the last one of
rules alone, PREVIOUS) is timed in the same run, interleaved: its package is taken from git and
imported under another name. Language detection (streams/domain/language.py), which the worker runs
before classify, is timed in the same loop.
Run: python bench/classify.py [--json] [--rounds N] [--previous REV] [--cpu]
"""

from __future__ import annotations

import argparse
import functools
import importlib
import io
import json
import random
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streams.classify import classify  # noqa: E402
from streams.domain.language import detect_language  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
PREVIOUS = "ea82203"  # the last classifier of rules alone (0.3.0-rules), before the learned detector
BASELINE = re.compile(r"\b(?:troops|missiles|killed|deploy\w*|suppl\w*)\b", re.IGNORECASE)
SEED_CHARS = 2746  # length of the seed article body
_SWAP = (
    "Russia", "Ukraine", "Iran", "Israel", "China", "Taiwan", "Sudan", "Mali", "Poland", "Germany",
    "Lithuania", "Syria", "Yemen", "Ethiopia", "Somalia", "Armenia", "Azerbaijan", "Turkey", "India",
)  # fmt: skip
_NAME = re.compile(r"\b(?:" + "|".join(_SWAP) + r")\b")
_DIGIT = re.compile(r"\d")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def sources() -> list[str]:
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


def corpus(n: int, seed: int = 7) -> list[str]:
    """`n` articles of 4-12 paragraphs drawn from all sources, sentences shuffled, names and digits varied."""
    rng = random.Random(seed)
    paragraphs = [p for text in sources() for p in text.split("\n") if p.strip()]

    def vary(paragraph: str) -> str:
        sentences = _SENTENCE.split(paragraph)
        rng.shuffle(sentences)
        text = _NAME.sub(lambda _: rng.choice(_SWAP), " ".join(sentences))
        return _DIGIT.sub(lambda _: str(rng.randrange(10)), text)

    return ["\n".join(vary(rng.choice(paragraphs)) for _ in range(rng.randint(4, 12))) for _ in range(n)]


def previous_classifier(rev: str, into: Path) -> Callable[[str], Any]:
    """streams/classify as of `rev`, imported as `previous_classify` (its own modules and data)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "streams/classify"], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    package = into / "previous_classify"
    (into / "streams" / "classify").rename(package)
    for module in package.rglob("*.py"):
        module.write_text(
            module.read_text(encoding="utf-8").replace("streams.classify", "previous_classify"),
            encoding="utf-8",
        )
    sys.path.insert(0, str(into))
    fn: Callable[[str], Any] = importlib.import_module("previous_classify").classify
    return fn


def _text_caches() -> list[Any]:
    """Per-text memos (bounded lru_caches) of the classifier modules: they must not help across articles."""
    found = []
    for name, module in list(sys.modules.items()):
        if name.startswith("streams.classify"):
            for value in vars(module).values():
                if (
                    isinstance(value, functools._lru_cache_wrapper)
                    and (value.cache_parameters()["maxsize"] or 0) > 1
                ):
                    found.append(value)
    return found


def _time(
    fns: list[Callable[[str], Any]],
    texts: list[str],
    rounds: int,
    caches: list[Any],
    clock: Callable[[], float] = time.perf_counter,
) -> list[list[float]]:
    """Per-function, per-article seconds, best of `rounds`; functions interleaved so drift hits them alike."""
    best = [[float("inf")] * len(texts) for _ in fns]
    for _ in range(rounds):
        for i, text in enumerate(texts):
            for k, fn in enumerate(fns):
                for cache in caches:
                    cache.cache_clear()
                t0 = clock()
                fn(text)
                best[k][i] = min(best[k][i], clock() - t0)
    return best


def run(rounds: int, articles: int, previous: str = PREVIOUS, cpu: bool = False) -> dict[str, Any]:
    """`cpu`: time each call by this thread's CPU time, not the wall clock: on a shared, loaded machine
    the wall clock counts the time other processes hold the core."""
    texts = corpus(articles)
    with tempfile.TemporaryDirectory() as tmp:
        before = previous_classifier(previous, Path(tmp))
        for text in texts[:20]:  # warm up: data files, compiled patterns, the language model
            classify(text)
            before(text)
            detect_language(text)
        caches = _text_caches()
        per, base, prev, detect = _time(
            [classify, BASELINE.findall, before, detect_language],
            texts,
            rounds,
            caches,
            time.thread_time if cpu else time.perf_counter,
        )
    chars = sum(len(t) for t in texts)
    total, base_total = sum(per), sum(base)
    ms = sorted(p * 1e3 for p in per)
    return {
        "articles": len(texts),
        "clock": "cpu" if cpu else "wall",
        "mean_chars": round(chars / len(texts)),
        "distinct_sentences": len({s for t in texts for s in _SENTENCE.split(t)}),
        "caches_cleared": len(caches),
        "articles_per_s": round(len(texts) / total),
        "seed_sized_articles_per_s": round(chars / SEED_CHARS / total),
        "p50_ms": round(statistics.median(ms), 4),
        "p99_ms": round(ms[min(len(ms) - 1, int(0.99 * len(ms)))], 4),
        "mb_per_s": round(chars / total / 1e6, 2),
        "baseline_articles_per_s": round(len(texts) / base_total),
        "baseline_mb_per_s": round(chars / base_total / 1e6, 2),
        "ratio_to_baseline": round(total / base_total, 2),
        "previous": previous,
        "previous_articles_per_s": round(len(texts) / sum(prev)),
        "speed_to_previous": round(sum(prev) / total, 3),
        "language_p50_ms": round(statistics.median(d * 1e3 for d in detect), 4),
        "language_share_of_classify": round(sum(detect) / total, 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--previous", default=PREVIOUS, help="git revision of the classifier to compare with")
    parser.add_argument("--cpu", action="store_true", help="time calls by CPU, not wall time")
    args = parser.parse_args(argv)
    r = run(args.rounds, args.articles, args.previous, args.cpu)
    if args.json:
        print(json.dumps(r, indent=2))
        return 0
    print(
        f"corpus: {r['articles']} articles, {r['mean_chars']} chars on average, "
        f"{r['distinct_sentences']} distinct sentences; {r['caches_cleared']} text caches cleared per call; "
        f"{r['clock']} time"
    )
    print(
        f"classify: {r['articles_per_s']} articles/s ({r['seed_sized_articles_per_s']} seed-sized/s), "
        f"p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, {r['mb_per_s']} MB/s"
    )
    print(f"baseline (one regex): {r['baseline_articles_per_s']} articles/s, {r['baseline_mb_per_s']} MB/s")
    print(f"classify / baseline cost ratio: {r['ratio_to_baseline']}x")
    print(
        f"previous classifier ({r['previous']}): {r['previous_articles_per_s']} articles/s; "
        f"this one is {r['speed_to_previous']}x as fast"
    )
    print(
        f"language detection (the worker runs it before classify): p50 {r['language_p50_ms']} ms, "
        f"{r['language_share_of_classify']}x the classify time"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
