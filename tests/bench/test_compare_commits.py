"""bench/compare_commits.py: the flags an older checkout's bench knows, and medians with their range."""

from __future__ import annotations

from typing import Any

from bench.compare_commits import render, skip_flags, summarise


def one_run(classify: float, worker: float, cpu: float) -> dict[str, Any]:
    return {
        "classify": {"articles_per_s": classify, "p50_ms": 1000 / classify},
        "pipeline": {"sitrep": {"articles_per_s": worker, "cpu_s_per_1k": cpu, "peak_rss_mb": 190.0}},
    }


def test_an_older_bench_gets_only_the_skip_flags_it_knows() -> None:
    older = "usage: pipeline.py [--no-latency] [--no-baselines] [--no-replay] [--soak SOAK]"
    assert skip_flags(older) == ["--no-latency", "--no-baselines", "--no-replay", "--soak=0"]
    newer = older + " [--scale-articles N] [--offline-articles N]"
    assert "--scale-articles=0" in skip_flags(newer) and "--offline-articles=0" in skip_flags(newer)


def test_each_figure_has_its_median_range_and_ratio_to_the_first_checkout() -> None:
    runs = {
        "before": [one_run(400, 40, 9.0), one_run(500, 50, 8.0), one_run(450, 45, 10.0)],
        "after": [one_run(450, 30, 12.0), one_run(450, 60, 8.5), one_run(460, 45, 9.0)],
    }
    table = summarise(runs)
    worker = table["after"]["worker art/s"]
    assert (worker["median"], worker["range"], worker["to_first"]) == (45, [30, 60], 1.0)
    assert worker["spread_pct"] == round(100 * 30 / 45, 1)
    assert table["after"]["worker CPU s/1k"]["to_first"] == round(9.0 / 9.0, 3)
    assert table["before"]["classify art/s"]["median"] == 450
    assert "after" in render(table) and "worker CPU s/1k" in render(table)
