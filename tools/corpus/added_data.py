"""Does a new labelled file help on theatres it was not written from? (issue 13: judge data unseen)

    .venv/bin/python tools/corpus/added_data.py corpus/sentences/captives-*.jsonl

Two paired measures, each detector trained as `sitrep eval --cv` trains a fold's (shipped thresholds):
- the five theatre folds of the rest of the corpus (train and validation, the dev sets included),
  each scored by a detector trained on the other folds without, then with, the new files;
- with two or more new files, each file scored by a detector trained on the rest without, then with,
  the other new files: the new wording, on theatres the added data was not written from.
The test split is never read. Takes a few minutes (two fits a fold).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from streams.classify.detect.learned import DETECTOR  # noqa: E402
from streams.learn.data import Item, default_shared, load  # noqa: E402
from streams.learn.measure import folds, score  # noqa: E402
from streams.learn.train import Settings, fit, rows, with_weights  # noqa: E402

CATEGORIES = ("deployment", "supply", "casualty", "forecast")


def _scores(held: Sequence[Item], train: Sequence[Item], settings: Settings) -> dict[str, Any]:
    assert DETECTOR is not None, "no shipped detector: run 'sitrep train' first"
    weights, bias = fit(rows(train, settings), settings.c)
    report = score(held, "held", with_weights(DETECTOR, weights, bias)).report.to_dict()
    out = {"macro": report["macro_f1"]}
    for c in CATEGORIES:
        cat = report["categories"][c]
        out[c] = (cat["precision"], cat["recall"], cat["f1"])
    return out


def _line(name: str, before: dict[str, Any], after: dict[str, Any]) -> str:
    cats = "  ".join(f"{c[:3]} {before[c][2]:.3f}->{after[c][2]:.3f}" for c in CATEGORIES)
    return f"{name:<28} macro {before['macro']:.4f} -> {after['macro']:.4f}  {cats}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, help="the new corpus files (already in corpus/)")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    args = parser.parse_args(argv)
    new_theatres = {
        json.loads(line).get("theatre") or path.stem
        for path in args.files
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    items = [i for i in load(args.corpus, default_shared(args.corpus)) if i.split != "test"]
    new = [i for i in items if i.theatre in new_theatres]
    old = [i for i in items if i.theatre not in new_theatres]
    if any(i.split != "train" for i in new):
        raise SystemExit("a new file's theatre is held out (splits.json): give train theatres only")
    settings = Settings()
    totals: list[tuple[dict[str, Any], dict[str, Any]]] = []
    print(f"{len(new)} new items in {len(new_theatres)} theatres; {len(old)} others")
    for n, theatres in enumerate(folds(old), 1):
        held = [i for i in old if i.theatre in theatres]
        rest = [i for i in old if i.theatre not in theatres]
        pair = (_scores(held, rest, settings), _scores(held, rest + new, settings))
        totals.append(pair)
        print(_line(f"fold {n} ({len(held)} items)", *pair), flush=True)
    mean = [{k: _mean([p[side][k] for p in totals]) for k in totals[0][0]} for side in (0, 1)]
    print(_line("mean of the folds", *mean))
    for theatre in sorted(new_theatres) if len(new_theatres) > 1 else []:
        held = [i for i in new if i.theatre == theatre]
        others = [i for i in new if i.theatre != theatre]
        print(_line(theatre, _scores(held, old, settings), _scores(held, old + others, settings)))
    return 0


def _mean(values: list[Any]) -> Any:
    if isinstance(values[0], tuple):
        return tuple(sum(v[j] for v in values) / len(values) for j in range(len(values[0])))
    return sum(values) / len(values)


if __name__ == "__main__":
    raise SystemExit(main())
