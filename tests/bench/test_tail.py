"""bench/tail.py: where a latency run's time went, from the records, the worker's histogram and log."""

from __future__ import annotations

from pathlib import Path

import orjson

from bench.harness import Collected
from bench.tail import classify_tail, split, warnings_since


def test_latency_is_split_at_processed_at() -> None:
    raw = Collected(first={b"a": 1_000, b"b": 2_000})
    out = Collected(first={b"a": 1_050, b"b": 2_300}, processed={b"a": 1_040, b"b": 2_100})
    cuts = split(raw, out)
    assert cuts["to_classified_p50_ms"] == 100 and cuts["to_classified_p99_ms"] == 100
    assert cuts["classified_to_sent_p50_ms"] == 200 and cuts["classified_to_sent_p50_ms"] != 10


def test_slow_classifies_are_counted_from_the_histogram_difference() -> None:
    inf = float("inf")
    before = {0.05: 10.0, 0.1: 10.0, inf: 10.0}
    after = {0.05: 15.0, 0.1: 17.0, inf: 20.0}
    counted = classify_tail(before, after)
    assert counted == {"classified": 10, "classify_over_50ms": 5, "classify_over_100ms": 3}


def test_only_warnings_after_the_offset_count_and_alerts_are_not_faults(tmp_path: Path) -> None:
    log = tmp_path / "worker.log"
    early = orjson.dumps({"level": "warning", "logger": "faust", "msg": "producer buffer full size 900"})
    log.write_bytes(early + b"\n")
    offset = log.stat().st_size
    lines = [
        {"level": "warning", "logger": "faust.transport.producer", "msg": "producer buffer full size 1212"},
        {"level": "warning", "logger": "faust.transport.producer", "msg": "producer buffer full size 106"},
        {"level": "warning", "logger": "sitrep.alerts", "msg": "632 casualties"},
        {"level": "info", "logger": "sitrep.worker", "msg": "worker started"},
    ]
    with log.open("ab") as out:
        out.write(b"".join(orjson.dumps(line) + b"\n" for line in lines) + b"not json\n")
    assert warnings_since(log, offset) == {"producer buffer full size N": 2}
