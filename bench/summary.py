"""The rows of issue 15's table, from one benchmark report: each a ratio or a figure measured in
the same run, beside its target, so that one `sitrep bench` says where the worker stands."""

from __future__ import annotations

import math
from typing import Any

Row = tuple[str, str, str]  # measure, this run, target


def _ratio(a: float, b: float) -> float:
    return a / b if b else math.nan


def rows(report: dict[str, Any]) -> list[Row]:
    """Every row the report has the figures for (a run without baselines has fewer)."""
    ours = report["sitrep"]
    out: list[Row] = []
    aps = ours["articles_per_s"]
    if "classifier_alone" in report:
        alone = report["classifier_alone"]["articles_per_s"]
        cpu = _ratio(report["classifier_alone"]["cpu_s_per_1k"], ours["cpu_s_per_1k"])
        both = f"{_ratio(aps, alone):.2f} ({aps:g} vs {alone:g} art/s; by CPU per article {cpu:.2f})"
        if "capacity_per_s" in ours:
            both += f"; every stage done: {ours['capacity_per_s']:g} art/s"
        out.append(("worker / classifier alone", both, ">= 0.7"))
    if "aiokafka_classify_loop" in report:
        loop = report["aiokafka_classify_loop"]
        cpu = _ratio(loop["cpu_s_per_1k"], ours["cpu_s_per_1k"])
        both = f"{_ratio(aps, loop['articles_per_s']):.2f} (by CPU per article {cpu:.2f})"
        out.append(("worker / hand aiokafka loop", both, ">= 1.0"))
    if "messages" in ours:
        m = ours["messages"]
        events = report.get("classifier_alone", {}).get("events_per_article")
        budget = "2 x events + 3"
        if events is not None:
            budget = f"<= {2 * events + 3:.1f} (2 x {events:g} events + 3)"
        hand = report.get("aiokafka_classify_loop", {}).get("messages", {}).get("total_per_article")
        note = f"; hand loop {hand:g}" if hand is not None else ""
        out.append(
            (
                "messages per article, in + out",
                f"{m['total_per_article']:g} ({m['in_per_article']:g} in, "
                f"{m['out_per_article']:g} out{note})",
                budget,
            )
        )
    if "offline_classify" in report:
        o = report["offline_classify"]
        out.append(
            (
                f"sitrep classify, {o['articles']:,} articles",
                f"{o['articles_per_s']:g} art/s, {o['ratio_to_regex_scan']:g}x the regex scan",
                ">= 1,000 art/s, <= 8x",
            )
        )
    if "scale_out" in report:
        s = report["scale_out"]
        cpu = ", ".join(f"{n}: {c:g}" for n, c in s["cpu_s_per_1k"].items())
        eff = ", ".join(f"{n}: {e:.2f}" for n, e in s["efficiency"].items())
        out.append(("CPU s / 1k articles by workers", f"{cpu} (efficiency {eff})", "flat within 15 %"))
    if "soak" in report:
        k = report["soak"]
        first, last = k["warm_up_at"], k["samples"][-1]["articles"]
        heap = " (under tracemalloc)" if k.get("heap") else ""
        out.append(
            (
                f"RSS article {first:,} -> {last:,}{heap}",
                f"x{k['rss_growth_after_warm_up']:.3f} "
                f"({k['samples'][0]['rss_mb']:g} MB at the first sample)",
                "within 10 %",
            )
        )
    if "state" in report:
        out.append(_state_row(report["state"]))
    for label, lat in ours.get("latency", {}).items():
        target = "p99 <= 100 ms" if label == "50%" else ""
        where = f"{label} of capacity" if label.endswith("%") else label
        out.append(
            (
                f"latency at {where} ({lat['offered_per_s']:.0f}/s)",
                f"p50 {lat['latency_p50_ms']:g}, p95 {lat['latency_p95_ms']:g}, "
                f"p99 {lat['latency_p99_ms']:g} ms",
                target,
            )
        )
    if "hand_loop_latency" in report:
        hand = report["hand_loop_latency"]
        out.append(
            (
                f"  the hand loop, same load ({hand['offered_per_s']:.0f}/s)",
                f"p50 {hand['latency_p50_ms']:g}, p95 {hand['latency_p95_ms']:g}, "
                f"p99 {hand['latency_p99_ms']:g} ms",
                "the floor on this machine",
            )
        )
    return out


def _state_row(state: dict[str, Any]) -> Row:
    """Restart to ready with the claims retained, beside none, and what a full restore reads per second."""
    empty, kept = state["empty"], state["retained"]
    figures = (
        f"{kept['restart']['ready_s']:g} s, {kept['restart']['restored_messages']:,.0f} read "
        f"(none retained: {empty['restart']['ready_s']:g} s); RSS {kept['rss_mb_after_articles']:g} MB "
        f"(none: {empty['rss_mb_after_articles']:g}); CPU s/1k articles {kept['cpu_s_per_1k_articles']:g} "
        f"(none: {empty['cpu_s_per_1k_articles']:g})"
    )
    if "full_restore" in state:
        figures += f"; a full restore reads {state['full_restore']['restored_per_s']:,}/s"
    return (f"restart to ready, {kept['claims']:,} claims retained", figures, "<= 10 s at 1M; RSS bounded")


def table(report: dict[str, Any]) -> str:
    found = rows(report)
    widths = [max(len(r[i]) for r in [("measure", "this run", "target"), *found]) for i in range(3)]
    lines = [f"{'measure':<{widths[0]}}  {'this run':<{widths[1]}}  target"]
    lines += [f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c}".rstrip() for a, b, c in found]
    return "\n".join(lines)


def latency_points(report: dict[str, Any]) -> dict[float, dict[str, float]]:
    """Share of capacity -> percentiles, for bench/plot.py (the shares' runs only)."""
    return {
        float(label.rstrip("%")) / 100: {
            "p50": lat["latency_p50_ms"],
            "p95": lat["latency_p95_ms"],
            "p99": lat["latency_p99_ms"],
        }
        for label, lat in report["sitrep"].get("latency", {}).items()
        if label.endswith("%")
    }
