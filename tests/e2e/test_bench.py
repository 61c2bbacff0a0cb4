"""The pipeline benchmark still runs end to end and reports every figure (not how fast)."""

from __future__ import annotations

import contextlib
import io
import json
import math
from pathlib import Path
from typing import Any

import pytest

from bench import summary
from bench.pipeline import main, run, table
from bench.state import state_bench

pytestmark = pytest.mark.kafka

BASELINES = ("classifier_alone", "aiokafka_forward", "aiokafka_classify_loop")
ROWS = (
    "worker / classifier alone",
    "worker / hand aiokafka loop",
    "messages per article",
    "sitrep classify",
    "CPU s / 1k articles by workers",
    "RSS article",
)
FLOW = ("articles_per_s", "mb_per_s", "latency_p50_ms", "latency_p95_ms", "latency_p99_ms")


@pytest.mark.timeout(180)
def test_a_small_run_reports_every_figure(kafka: str) -> None:
    report = run(kafka, 100, latency_shares=(), latency_rates=(20.0,), latency_seconds=1.0)

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


@pytest.fixture(scope="module")
def full_run(kafka: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str, Path]:
    """One small `sitrep bench` with every mode on: (its JSON report, what it printed, the plot).
    Its setup took 196 s in CI; the hand loop's latency run and the profiles add about 50 s, and at
    load 14 on 2 cores it passed 400 s: the tests' 600 s leave room for a loaded machine."""
    tmp = tmp_path_factory.mktemp("bench")
    plot, out = tmp / "latency.png", io.StringIO()
    argv = ["--bootstrap", kafka, "--articles", "60", "--latency-seconds", "1", "--no-replay"]
    argv += ["--offline-articles", "40", "--scale-articles", "40", "--soak", "300", "--soak-every", "100"]
    argv += ["--heap", "--plot", str(plot), "--json", str(tmp / "report.json")]
    argv += ["--profile", str(tmp / "prof")]
    with contextlib.redirect_stdout(out):
        assert main(argv, prog="sitrep bench") == 0
    return json.loads((tmp / "report.json").read_text()), out.getvalue(), plot


@pytest.mark.timeout(600)
def test_one_run_prints_every_row_of_the_issue_table(full_run: tuple[dict[str, Any], str, Path]) -> None:
    report, printed, plot = full_run
    measures = [row[0] for row in summary.rows(report)]
    for row in ROWS:
        assert any(m.startswith(row) for m in measures), row
    assert [m.split(" (")[0] for m in measures if m.startswith("latency")] == [
        "latency at 10% of capacity", "latency at 50% of capacity", "latency at 90% of capacity",
    ]  # fmt: skip
    assert all(m in printed for m in measures)
    assert plot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.timeout(600)
def test_messages_are_counted_in_and_out_per_article(full_run: tuple[dict[str, Any], str, Path]) -> None:
    report, _, _ = full_run
    ours = report["sitrep"]["messages"]
    assert ours["in_per_article"] >= 1  # at least the raw article, committed by the worker's group
    assert ours["out_per_article"] >= 1  # at least the enriched article
    assert report["sitrep"]["messages"]["total_per_article"] == pytest.approx(
        ours["in_per_article"] + ours["out_per_article"], abs=0.02
    )
    assert report["aiokafka_classify_loop"]["messages"]["total_per_article"] >= 2
    assert report["classifier_alone"]["events_per_article"] > 0


@pytest.mark.timeout(600)
def test_scaling_reports_cpu_per_article_and_efficiency_at_1_2_3(
    full_run: tuple[dict[str, Any], str, Path],
) -> None:
    scale = full_run[0]["scale_out"]
    assert set(scale["cpu_s_per_1k"]) == set(scale["efficiency"]) == {"1", "2", "3"}
    assert all(scale[f"{n}_workers"]["distinct_ids_out"] == 40 for n in (1, 2, 3))
    assert scale["efficiency"]["1"] == 1.0


@pytest.mark.timeout(600)
def test_soak_samples_rss_and_diffs_the_heap(full_run: tuple[dict[str, Any], str, Path]) -> None:
    soak = full_run[0]["soak"]
    assert [s["articles"] >= n for s, n in zip(soak["samples"], (100, 200, 300), strict=True)] == [True] * 3
    assert all(s["rss_mb"] > 0 for s in soak["samples"])
    assert math.isfinite(soak["rss_growth_after_warm_up"])
    assert soak["heap_grown"] and all(row["where"] for row in soak["heap_grown"])
    assert soak["heap_traced_mb"]["warm"] > 0 and soak["heap_traced_mb"]["end"] > 0


@pytest.mark.timeout(600)
def test_offline_classify_is_timed_beside_a_regex_scan(full_run: tuple[dict[str, Any], str, Path]) -> None:
    offline = full_run[0]["offline_classify"]
    assert offline["articles"] == 40
    assert offline["articles_per_s"] > 0 and offline["ratio_to_regex_scan"] > 0


@pytest.mark.timeout(600)
def test_the_state_run_restarts_with_the_claims_retained_reading_nothing(kafka: str) -> None:
    state = state_bench(kafka, claims=3000, restore_claims=2000, articles=20, env={})
    empty, kept, full = state["empty"], state["retained"], state["full_restore"]
    assert kept["start"]["restored_messages"] == 0  # the seeded store was kept: nothing read
    assert kept["start"]["claims_tracked"] == 3000  # and the worker serves its claims
    assert kept["restart"]["restored_messages"] == 0 and kept["restart"]["claims_tracked"] >= 3000
    assert full["start"]["restored_messages"] == 2000  # a new data dir reads the whole changelog
    for one in (empty, kept):
        assert one["restart"]["ready_s"] > 0 and one["cpu_s_per_1k_articles"] > 0 and one["peak_rss_mb"] > 0
    (row,) = [
        r for r in summary.rows({"sitrep": {"articles_per_s": 1.0}, "state": state}) if "retained" in r[0]
    ]
    assert row[0] == "restart to ready, 3,000 claims retained"
    assert "0 read" in row[1] and "a full restore reads" in row[1]


def test_profiles_and_the_latency_split_are_taken(full_run: tuple[dict[str, Any], str, Path]) -> None:
    """py-spy's tables of the worker at 50 % and of offline classify; each latency run split at
    processed_at, beside the hand loop's latency at the 50 % rate."""
    report, printed, _ = full_run
    worker = Path(report["sitrep"]["profile"]).read_text()
    offline = Path(report["offline_classify"]["profile"]).read_text()
    assert "## by area" in worker and "sitrep worker at 50%" in worker
    assert "classifier (streams/classify)" in offline and "## top 25 functions, self" in offline
    for lat in report["sitrep"]["latency"].values():
        assert lat["to_classified_p50_ms"] >= 0 and lat["classified_to_sent_p50_ms"] >= 0
        assert lat["classified"] >= 1 and lat["run_queue_ms_per_article"] >= 0
    assert report["hand_loop_latency"]["articles"] >= 2
    assert "the hand loop, same load" in printed
