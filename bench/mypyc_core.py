"""Does compiling the classifier core with mypyc pay? Pure against compiled classify, one process.

mypyc compiles the same typed source to C extensions: no port, the rules keep moving. This copies
streams/classify into a temporary directory as the package `compiled_classify` (as bench/classify.py's
--previous does), compiles it there (nothing is built in the checkout: .so files beside the .py would
shadow them), then times both over bench/classify.py's corpus by CPU, articles interleaved and the
order turned each time, text caches cleared per call; one total per side per round. In the first
round it checks that every article's events are byte-identical both ways (orjson of the dataclasses).
Findings and the modules left pure: bench/README.md, "mypyc".
Run: python bench/mypyc_core.py [--rounds 5] [--articles 400] [--data DIR]
"""

from __future__ import annotations

import argparse
import functools
import importlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import classify as bench_classify  # noqa: E402  # bench/classify.py: its corpus

from streams.classify import classify as pure  # noqa: E402

PACKAGE = "compiled_classify"
PURE_ONLY = {
    # EmbeddingsMissingError(RuntimeError): "Inheriting from most builtin types is unimplemented".
    "detect/embedding.py",
    # Compiles, but orjson.dumps of its compiled slots dataclasses aborts the process ("free(): invalid
    # pointer"); the types hold no hot code.
    "model.py",
}


def build(into: Path) -> tuple[Callable[[str], Any], float]:
    """streams/classify compiled as `compiled_classify` under `into`; its classify and the build's
    wall seconds."""
    package = into / PACKAGE
    shutil.copytree(ROOT / "streams" / "classify", package, ignore=shutil.ignore_patterns("__pycache__"))
    for module in package.rglob("*.py"):
        module.write_text(
            module.read_text(encoding="utf-8").replace("streams.classify", PACKAGE), encoding="utf-8"
        )
    sources = sorted(
        str(p.relative_to(into))
        for p in package.rglob("*.py")
        if p.relative_to(package).as_posix() not in PURE_ONLY
    )
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mypyc", *sources], cwd=into, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - t0
    if done.returncode:
        raise SystemExit(f"mypyc failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    sys.path.insert(0, str(into))
    pipeline = importlib.import_module(f"{PACKAGE}.pipeline")
    if not str(pipeline.__file__).endswith(".so"):
        raise SystemExit(f"{PACKAGE}.pipeline was not compiled: {pipeline.__file__}")
    fn: Callable[[str], Any] = pipeline.classify
    return fn, seconds


def text_caches() -> list[Any]:
    """Both packages' per-text memos (as bench/classify.py's _text_caches)."""
    return [
        value
        for name, module in list(sys.modules.items())
        if name.startswith(("streams.classify", PACKAGE))
        for value in vars(module).values()
        if isinstance(value, functools._lru_cache_wrapper) and (value.cache_parameters()["maxsize"] or 0) > 1
    ]


def run(rounds: int, articles: int) -> dict[str, Any]:
    texts = bench_classify.corpus(articles)
    chars = sum(len(t) for t in texts)
    with tempfile.TemporaryDirectory(prefix="sitrep-mypyc-") as tmp:
        compiled, build_s = build(Path(tmp))
        for text in texts[:20]:  # warm up: data files, compiled patterns
            pure(text)
            compiled(text)
        caches = text_caches()
        sides = {"pure": pure, "compiled": compiled}
        totals: list[dict[str, float]] = []
        differ = 0
        for r in range(rounds):
            total = dict.fromkeys(sides, 0.0)
            for i, text in enumerate(texts):
                names = list(sides) if (i + r) % 2 == 0 else list(reversed(sides))
                out = {}
                for name in names:
                    for cache in caches:
                        cache.cache_clear()
                    t0 = time.thread_time()
                    out[name] = sides[name](text)
                    total[name] += time.thread_time() - t0
                if r == 0:
                    differ += orjson.dumps(out["pure"]) != orjson.dumps(out["compiled"])
            totals.append(total)
    ratios = [t["pure"] / t["compiled"] for t in totals]
    seed_per_s = {name: [chars / bench_classify.SEED_CHARS / t[name] for t in totals] for name in sides}
    return {
        "articles": len(texts),
        "build_s": round(build_s, 1),
        "differ": differ,
        "ms_per_article": {name: [round(t[name] / len(texts) * 1e3, 3) for t in totals] for name in sides},
        "seed_sized_per_s": {name: [round(v) for v in vs] for name, vs in seed_per_s.items()},
        "ratio": [round(x, 3) for x in ratios],
        "ratio_median": round(statistics.median(ratios), 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--data", type=Path, default=bench_classify.DATA, help="../shared/data")
    args = parser.parse_args(argv)
    bench_classify.DATA = args.data
    r = run(args.rounds, args.articles)
    print(
        f"mypyc build: {r['build_s']} s wall; {r['articles']} articles, {r['differ']} with different events"
    )
    for name in ("pure", "compiled"):
        print(
            f"{name}: ms/article by CPU per round {r['ms_per_article'][name]}, "
            f"seed-sized/s {r['seed_sized_per_s'][name]}"
        )
    ratio = r["ratio"]
    print(f"pure / compiled CPU: median {r['ratio_median']}, range {min(ratio)}-{max(ratio)} ({ratio})")
    return 1 if r["differ"] else 0


if __name__ == "__main__":
    sys.exit(main())
