"""Scores of the classifier on the corpus: per split, grouped cross-validation by theatre, calibration.

The test split's scores are printed like the others; its errors never are (corpus/splits.json).
"""

from __future__ import annotations

import argparse
import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from streams.classify.detect.learned import DETECTOR, Detector
from streams.classify.model import Event
from streams.classify.pipeline import classify
from streams.evaluation import Report, format_report, score_item
from streams.learn.data import Item, default_shared, load, need_training_tools, theatre_folds

SPLITS = ("train", "validation", "test")
BINS = 10


@dataclass
class Scored:
    report: Report
    confidences: list[tuple[float, bool]]  # each predicted event: its confidence, whether it was right

    @property
    def ece(self) -> float:
        """Expected calibration error over the predicted events, ten equal-width bins."""
        bins: list[list[tuple[float, bool]]] = [[] for _ in range(BINS)]
        for conf, ok in self.confidences:
            bins[min(BINS - 1, int(conf * BINS))].append((conf, ok))
        n = len(self.confidences)
        return (
            sum(
                abs(sum(c for c, _ in b) / len(b) - sum(ok for _, ok in b) / len(b)) * len(b) / n
                for b in bins
                if b
            )
            if n
            else 0.0
        )


def score(items: Sequence[Item], name: str, detector: Detector | None) -> Scored:
    """Score `items` with the rules and `detector` (None: the rules alone, their status and actor too)."""
    run: Callable[[str, str | None], list[Event]] = (
        functools.partial(classify, detector=detector)
        if detector is not None
        else functools.partial(classify, detector=None, status_model=None, actor_model=None)
    )
    report = Report(name)
    confidences: list[tuple[float, bool]] = []
    for item in items:
        for event, ok in score_item(
            report, item.id, item.body, item.published_at, list(item.events), classifier=run
        ):
            confidences.append((event.confidence, ok))
    return Scored(report, confidences)


def per_split(items: Sequence[Item], detector: Detector | None) -> list[Scored]:
    out = []
    for split in SPLITS:
        for kind in ("sentences", "articles"):
            chosen = [i for i in items if i.split == split and i.kind == kind]
            if chosen:
                out.append(score(chosen, f"{split} {kind}", detector))
        out.append(score([i for i in items if i.split == split], f"{split} (all)", detector))
    return out


def folds(items: Sequence[Item], k: int = 5) -> list[list[str]]:
    """Theatres of the non-test items dealt into k groups, largest first, each to the smallest group."""
    return theatre_folds([i.theatre for i in items if i.split != "test"], k)


def cross_validate(
    items: Sequence[Item], k: int = 5, settings: Any = None, base: Detector | None = None
) -> list[tuple[list[str], Scored, Scored]]:
    """Per fold: its theatres, the rules' scores and the detector's, trained on the other folds.

    Each fold's detector keeps the thresholds and calibration of `base` (default: the shipped
    detector, trained with `settings`, default `Settings()`; no validation inside a fold).
    """
    need_training_tools()
    from streams.learn.train import Settings, fit, rows, with_weights

    settings = settings or Settings()
    out = []
    for theatres in folds(items, k):
        held = [i for i in items if i.theatre in theatres]
        rest = [i for i in items if i.split != "test" and i.theatre not in theatres]
        weights, bias = fit(rows(rest, settings), settings.c)
        detector = with_weights(base or DETECTOR or _unshipped(), weights, bias)
        out.append((theatres, score(held, "fold", None), score(held, "fold", detector)))
    return out


def _unshipped() -> Detector:
    raise SystemExit("sitrep: no detector weights are shipped; run 'sitrep train' first")


def _summary(s: Scored) -> dict[str, Any]:
    d = s.report.to_dict()
    d.pop("errors")
    d["ece"] = round(s.ece, 4)
    return d


def run(args: argparse.Namespace) -> int:
    """`sitrep eval --corpus DIR [--cv]`: the tables (or JSON), never the test split's errors."""
    corpus: Path = args.corpus or Path("corpus")
    items = load(corpus, default_shared(corpus))
    detector = None if args.rules_only else DETECTOR
    results: list[dict[str, Any]] = []
    if args.cv:
        for theatres, rules, model in cross_validate(items):
            results.append(
                {
                    "fold": theatres,
                    "rules_macro_f1": round(rules.report.macro_f1, 4),
                    "macro_f1": round(model.report.macro_f1, 4),
                    "categories": {c: round(s.f1, 4) for c, s in model.report.categories.items()},
                }
            )
        mean_rules = sum(r["rules_macro_f1"] for r in results) / len(results)
        mean = sum(r["macro_f1"] for r in results) / len(results)
        if args.json:
            print(json.dumps({"folds": results, "mean_macro_f1": round(mean, 4)}, indent=2))
            return 0
        for r in results:
            print(
                f"fold {', '.join(r['fold'])}: rules {r['rules_macro_f1']:.3f}  combined {r['macro_f1']:.3f}"
            )
        print(f"mean macro-F1 over {len(results)} folds: rules {mean_rules:.3f}  combined {mean:.3f}")
        return 0
    scored = per_split(items, detector)
    if args.json:
        print(json.dumps([_summary(s) for s in scored], indent=2))
        return 0
    for s in scored:
        print(format_report(s.report))
        print(f"expected calibration error {s.ece:.3f} over {len(s.confidences)} events")
        if args.errors and not s.report.dataset.startswith("test"):
            print("\n".join(sorted(s.report.errors)))
        print()
    return 0
