"""The same benches on two or more checkouts in one run, interleaved: "within noise of today's in the
same run" (issue 14) needs both sides measured under the same load, which runs on different days
or one after the other on this shared machine cannot give.

Each checkout runs its own `bench/classify.py` (the classifier alone) and the worker part of its own
`bench/pipeline.py` (one worker drains N articles: throughput and CPU per 1,000 articles), with its
own `.venv`. Every repetition runs every checkout, in an order that turns round each time, so that a
drift in the machine's load hits them alike; the table gives each figure's median and its range.
Run: python bench/compare_commits.py CHECKOUT CHECKOUT [...] [--reps 3] [--articles 1500] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

# The parts of a full `sitrep bench` that are not the worker's drain (older checkouts lack some flags).
_SKIPS = (
    "--no-latency", "--no-baselines", "--no-replay", "--soak=0", "--scale-articles=0", "--offline-articles=0",
)  # fmt: skip
# (figure, where it is in a run's JSON)
FIGURES = (
    ("classify art/s", ("classify", "articles_per_s")),
    ("classify p50 ms", ("classify", "p50_ms")),
    ("worker art/s", ("pipeline", "sitrep", "articles_per_s")),
    ("worker CPU s/1k", ("pipeline", "sitrep", "cpu_s_per_1k")),
    ("worker peak RSS MB", ("pipeline", "sitrep", "peak_rss_mb")),
)


class BenchRunError(RuntimeError):
    """A bench process that exited with an error; its last lines of stderr."""


def commit_of(checkout: Path) -> str:
    argv = ["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"]
    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout.strip()


def _python(checkout: Path) -> str:
    python = checkout / ".venv" / "bin" / "python"
    if not python.exists():
        print(f"sitrep: {checkout} has no .venv; run `make venv` there first", file=sys.stderr)
        raise SystemExit(2)
    return str(python)


def skip_flags(help_text: str) -> list[str]:
    """The skip flags this checkout's pipeline bench knows."""
    return [flag for flag in _SKIPS if flag.split("=")[0] in help_text]


def classify_run(checkout: Path, articles: int) -> dict[str, Any]:
    argv = [_python(checkout), "bench/classify.py", "--json", f"--articles={articles}"]
    out = subprocess.run(argv, cwd=checkout, check=True, capture_output=True, text=True, timeout=1800)
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def pipeline_run(checkout: Path, articles: int, bootstrap: str) -> dict[str, Any]:
    python = _python(checkout)
    usage = subprocess.run(
        [python, "bench/pipeline.py", "--help"], cwd=checkout, check=True, capture_output=True, text=True
    )
    with tempfile.TemporaryDirectory(prefix="sitrep-compare-") as tmp:
        path = Path(tmp) / "run.json"
        argv = [python, "bench/pipeline.py", f"--articles={articles}", f"--bootstrap={bootstrap}"]
        argv += [*skip_flags(usage.stdout), f"--json={path}"]
        done = subprocess.run(argv, cwd=checkout, check=False, capture_output=True, text=True, timeout=1800)
        if done.returncode != 0:  # a run that fails under load is told and taken again, not averaged
            raise BenchRunError("\n".join(done.stderr.splitlines()[-5:]))
        result: dict[str, Any] = json.loads(path.read_text())
    return result


def measure(
    checkout: Path, classify_articles: int, articles: int, bootstrap: str, tries: int = 3
) -> dict[str, Any]:
    """One repetition on one checkout: the classifier bench, then the worker's drain."""
    for attempt in range(1, tries + 1):
        try:
            return {
                "classify": classify_run(checkout, classify_articles),
                "pipeline": pipeline_run(checkout, articles, bootstrap),
                "load": os.getloadavg()[0],
                "attempt": attempt,
            }
        except BenchRunError as failed:
            print(
                f"{checkout.name}: a bench run failed (attempt {attempt} of {tries}):\n{failed}", flush=True
            )
    raise SystemExit(f"sitrep: the bench failed {tries} times on {checkout}; see the lines above")


def figure(run: dict[str, Any], where: tuple[str, ...]) -> float:
    value: Any = run
    for key in where:
        value = value[key]
    return float(value)


def summarise(runs: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, dict[str, Any]]]:
    """Per checkout and figure: the values, their median and range, and the median over the first's."""
    first = next(iter(runs))
    table: dict[str, dict[str, dict[str, Any]]] = {}
    for name, done in runs.items():
        table[name] = {}
        for label, where in FIGURES:
            values = [figure(run, where) for run in done]
            median = statistics.median(values)
            base = statistics.median(figure(run, where) for run in runs[first])
            table[name][label] = {
                "values": values,
                "median": median,
                "range": [min(values), max(values)],
                "spread_pct": round(100 * (max(values) - min(values)) / median, 1) if median else 0.0,
                "to_first": round(median / base, 3) if base else None,
            }
    return table


def render(table: dict[str, dict[str, dict[str, Any]]]) -> str:
    lines = [f"{'checkout':<28}{'figure':<18}{'median':>9}{'range':>19}{'spread':>8}{'/ first':>9}"]
    for name, figures in table.items():
        for label, f in figures.items():
            low, high = f["range"]
            lines.append(
                f"{name:<28}{label:<18}{f['median']:>9.2f}{f'{low:.2f}-{high:.2f}':>19}"
                f"{f['spread_pct']:>7.1f}%{f['to_first']:>9.3f}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("checkouts", type=Path, nargs="+", help="git checkouts, each with its .venv")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--articles", type=int, default=1500, help="the worker drains this many")
    parser.add_argument("--classify-articles", type=int, default=400)
    parser.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"))
    parser.add_argument("--json", type=Path, help="write every run's figures to this file")
    args = parser.parse_args(argv)
    checkouts = [c.resolve() for c in args.checkouts]
    names = {c: f"{c.name}@{commit_of(c)}" for c in checkouts}
    runs: dict[str, list[dict[str, Any]]] = {names[c]: [] for c in checkouts}
    for rep in range(args.reps):
        order = checkouts if rep % 2 == 0 else checkouts[::-1]
        for checkout in order:
            run = measure(checkout, args.classify_articles, args.articles, args.bootstrap)
            runs[names[checkout]].append(run)
            if args.json:  # every run so far, should a later one fail
                args.json.write_text(json.dumps({"runs": runs}, indent=2))
            print(
                f"rep {rep + 1} {names[checkout]}: "
                + ", ".join(f"{label} {figure(run, where):.2f}" for label, where in FIGURES)
                + f" (load {run['load']:.1f})",
                flush=True,
            )
    table = summarise(runs)
    print()
    print(render(table))
    if args.json:
        args.json.write_text(json.dumps({"runs": runs, "summary": table}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
