"""Whole-process `sitrep classify` on a file of seed-sized articles, beside a process that only
scans the same file with one regex: interpreter start, reading and JSON included in both, so
the ratio is what the classifier and the enrichment cost over the floor of touching the file.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.harness import ROOT, corpus

# One regex over each body (bench/classify.py's BASELINE), the floor the ratio is taken against.
SCAN = """
import sys, orjson
from bench.classify import BASELINE
hits = 0
with open(sys.argv[1], "rb") as lines:
    for line in lines:
        hits += len(BASELINE.findall(orjson.loads(line)["body"]))
print(hits)
"""


def timed(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one child process run to completion; its stdout is dropped."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, timeout=900)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def offline(articles: int) -> dict[str, Any]:
    """Articles/s of `sitrep classify` over one JSONL file, and its wall time over the regex scan's."""
    with tempfile.TemporaryDirectory(prefix="sitrep-offline-") as tmp:
        path = Path(tmp) / "articles.jsonl"
        path.write_bytes(b"".join(value + b"\n" for _, value in corpus(articles, "o")))
        sitrep_wall, sitrep_cpu = timed([sys.executable, "-m", "streams.cli", "classify", str(path)])
        scan_wall, _ = timed([sys.executable, "-c", SCAN, str(path)])
    return {
        "articles": articles,
        "articles_per_s": round(articles / sitrep_wall, 1),
        "cpu_s_per_1k": round(sitrep_cpu / articles * 1000, 2),
        "seconds": round(sitrep_wall, 2),
        "regex_scan_seconds": round(scan_wall, 3),
        "ratio_to_regex_scan": round(sitrep_wall / scan_wall, 2),
    }
