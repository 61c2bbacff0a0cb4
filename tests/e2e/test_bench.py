"""The pipeline benchmark still runs end to end and reports every figure (not how fast)."""

from __future__ import annotations

import math

import pytest

from bench.pipeline import run, table

pytestmark = pytest.mark.kafka

BASELINES = ("classifier_alone", "aiokafka_forward", "aiokafka_classify_loop")
FLOW = ("articles_per_s", "mb_per_s", "latency_p50_ms", "latency_p95_ms", "latency_p99_ms")


@pytest.mark.timeout(180)
def test_a_small_run_reports_every_figure(kafka: str) -> None:
    report = run(kafka, 100, latency_rates=(20.0,), latency_seconds=1.0)

    ours = report["sitrep"]
    assert ours["articles"] == 100
    for key in (*FLOW, "cpu_s_per_1k", "peak_rss_mb", "wall_articles_per_s"):
        assert math.isfinite(ours[key]) and ours[key] > 0, key
    assert set(ours["latency"]["20/s"]) >= set(FLOW)
    for name in BASELINES[1:]:
        assert report[name]["articles"] == 100
        assert all(math.isfinite(report[name][key]) for key in (*FLOW, "cpu_s_per_1k")), name
    assert report["classifier_alone"]["articles_per_s"] > 0
    assert report["replay"]["enriched"] == 100
    assert set(report["ratios"]) == {*BASELINES, "replay"}
    assert "sitrep worker" in table(report)
