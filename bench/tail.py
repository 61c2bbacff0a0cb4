"""Where an article's latency goes in a latency run, measured on the worker from outside.

Three cuts, each from a source that does not depend on the others:
- the enriched record's `processed_at` (taken right after classifying) splits the latency into
  raw -> classified (fetch, waiting for the loop, classifying) and classified -> produced (the
  send path: Faust's producer, the record's timestamp is set when aiokafka batches it);
- the worker's own histogram of classify times (`/metrics`), before and after the run: how many
  articles took over 50 and 100 ms of wall time to classify;
- the worker's threads' run-queue wait (`/proc/<pid>/task/*/schedstat`): the time it was ready to
  run but every core was busy, per article; on 2 shared cores that is other processes' load;
- the warnings the worker logged meanwhile, by message (Faust's "producer buffer full", which stops
  every input stream until its buffer of changelog writes drains, and "Timer commit is overlapping").
"""

from __future__ import annotations

import re
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

import orjson

from bench.harness import Collected, percentile

ALERTS_LOGGER = "sitrep.alerts"
CLASSIFY_HISTOGRAM = "sitrep_classification_duration_seconds"
_BUCKET = re.compile(CLASSIFY_HISTOGRAM + r'_bucket\{le="([^"]+)"\} ([0-9.e+]+)')


def classify_buckets(port: int) -> dict[float, float]:
    """The worker's cumulative classify-time histogram: upper bound (s) -> articles."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as reply:
        text = reply.read().decode()
    return {float(le): float(count) for le, count in _BUCKET.findall(text)}


def split(raw: Collected, out: Collected) -> dict[str, float]:
    """p50/p95/p99 of raw -> processed_at and of processed_at -> the enriched record, in ms."""
    keys = [k for k in out.first if k in raw.first and k in out.processed]
    before = [out.processed[k] - raw.first[k] for k in keys]
    after = [out.first[k] - out.processed[k] for k in keys]
    cuts = {}
    for name, values in (("to_classified", before), ("classified_to_sent", after)):
        for q in (0.50, 0.95, 0.99):
            cuts[f"{name}_p{int(q * 100)}_ms"] = percentile(values, q)
    return cuts


def classify_tail(before: dict[float, float], after: dict[float, float]) -> dict[str, Any]:
    """Articles classified in the run, and how many took over 50 / 100 ms (histogram bounds)."""
    done = after.get(float("inf"), 0.0) - before.get(float("inf"), 0.0)
    over = {}
    for bound in (0.05, 0.1):
        within = after.get(bound, 0.0) - before.get(bound, 0.0)
        over[f"classify_over_{int(bound * 1000)}ms"] = int(done - within)
    return {"classified": int(done), **over}


def log_size(log: Path) -> int:
    return log.stat().st_size if log.exists() else 0


def warnings_since(log: Path, offset: int) -> dict[str, int]:
    """The worker's warnings logged past `offset` (bytes), counted by message with numbers blanked."""
    found: Counter[str] = Counter()
    with log.open("rb") as lines:
        lines.seek(offset)
        for line in lines:
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue  # a line that is not the worker's JSON (a library's print)
            if not isinstance(record, dict) or record.get("logger") == ALERTS_LOGGER:
                continue  # alerts are logged as warnings: they are the product, not a fault
            if record.get("level") in ("warning", "error"):
                found[re.sub(r"[0-9][0-9.]*", "N", str(record.get("msg", "")))] += 1
    return dict(found.most_common())
