"""The scope model's training (part of `sitrep train`): one logistic regression, incident vs cumulative.

Rows are the labelled (sentence, category) units of the train split that carry a `scope` (the corpus;
the shared dev sets have none), forecasts left out (always incidents). C is chosen on the validation
split by the F1 of the cumulative class; the validation scores of the model and of the cues alone are
written beside the weights, so the choice is on record. The test split is never read here.
Validation holds some 80 cumulative units, too few to choose C alone: `python -m streams.learn.scope`
prints the grouped 5-fold cross-validation by theatre of every C of the grid, as a check on it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

from streams.classify.detect.scope import (
    CONFIG_FILE,
    WEIGHTS_FILE,
    ScopeModel,
    cue_names,
    from_arrays,
    scopes,
)
from streams.classify.model import Category
from streams.classify.text.normalize import lower_same_length, normalize
from streams.learn.data import Item, default_shared, load
from streams.learn.folds import choose_c, grouped_cv, held_out, subset
from streams.learn.npz import unit_matrix, write_model

C_GRID = (1.0, 4.0, 16.0)
THRESHOLD = 0.5  # classes are weighted to balance, so even odds is the decision point


@dataclass
class Units:
    """Labelled (sentence, category) units: the lowercased texts they index, their spans and scopes."""

    low: list[str]  # per unit, its item's normalised lowercased body
    spans: list[tuple[int, int]]
    categories: list[Category]
    cumulative: npt.NDArray[np.bool_]
    theatres: list[str] = field(default_factory=list)
    quantities: list[float | None] = field(default_factory=list)  # the labelled quantity's value


def units(items: Sequence[Item]) -> Units:
    out = Units([], [], [], np.zeros(0, dtype=bool))
    labels: list[bool] = []
    for item in items:
        low = lower_same_length(normalize(item.body))
        seen: set[tuple[int, int, str]] = set()
        for e in item.events:
            start = item.body.find(e["sentence"])
            key = (start, start + len(e["sentence"]), e["category"])
            if start < 0 or e.get("scope") is None or e["category"] == "forecast" or key in seen:
                continue
            seen.add(key)
            out.low.append(low)
            out.spans.append((key[0], key[1]))
            out.categories.append(e["category"])
            out.theatres.append(item.theatre)
            out.quantities.append((e.get("quantity") or {}).get("value"))
            labels.append(e["scope"] == "cumulative")
    out.cumulative = np.asarray(labels, dtype=bool)
    return out


def matrix(u: Units) -> Any:
    """The units' features as one CSR matrix (each unit featurised within its own text)."""
    return unit_matrix(
        u.low,
        u.spans,
        [cue_names(low[s:e], c) for low, (s, e), c in zip(u.low, u.spans, u.categories, strict=True)],
    )


def fit(x: Any, y: npt.NDArray[np.bool_], c: float) -> ScopeModel:
    model = LogisticRegression(
        C=c, class_weight="balanced", solver="liblinear", random_state=0, max_iter=1000, tol=1e-6
    )
    model.fit(x, y)
    weights = model.coef_[0].astype(np.float16).astype(np.float32)  # stored in half precision
    index = np.flatnonzero(weights).astype(np.int64)
    return from_arrays(index, weights[index], float(np.float32(model.intercept_[0])), THRESHOLD)


def predict(u: Units, model: ScopeModel | None) -> npt.NDArray[np.bool_]:
    """Whether each unit is read cumulative (model None: the cues alone)."""
    rows = zip(u.low, u.spans, u.categories, strict=True)
    return np.asarray(
        [scopes(low, [span], [c], model)[0] == "cumulative" for low, span, c in rows], dtype=bool
    )


def scores(got: npt.NDArray[np.bool_], y: npt.NDArray[np.bool_]) -> dict[str, float]:
    """Accuracy and the cumulative class's F1 of predictions `got` against labels `y`."""
    tp, fp, fn = int((got & y).sum()), int((got & ~y).sum()), int((~got & y).sum())
    return {
        "accuracy": round(float((got == y).mean()) if len(y) else 1.0, 4),
        "cumulative_f1": round(2 * tp / (2 * tp + fp + fn) if tp else 0.0, 4),
    }


def measure(u: Units, model: ScopeModel | None) -> dict[str, float]:
    """Accuracy and the cumulative class's F1 over the units (model None: the cues alone)."""
    return scores(predict(u, model), u.cumulative)


def tolls(u: Units, least: float = 0.0) -> npt.NDArray[np.bool_]:
    """The casualty units whose labelled quantity is at least `least` (0: every casualty unit); at
    100 they are the ones the mass-casualties alert reads, where a wrong scope is a missed or false alert."""
    return np.asarray(
        [
            c == "casualty" and (least <= 0 or (q is not None and q >= least))
            for c, q in zip(u.categories, u.quantities, strict=True)
        ],
        dtype=bool,
    )


def out_of_fold(items: Sequence[Item], c: float, k: int = 5) -> tuple[Units, npt.NDArray[np.bool_]]:
    """The train + validation units and each one's reading by the model fitted on the other folds of
    theatres (the folds of `cross_validate`): every unit judged by a model that never saw its theatre."""
    every = units([i for i in items if i.split != "test"])
    got = np.zeros(len(every.spans), dtype=bool)
    for held in held_out(every.theatres, k):
        rest = subset(every, [not h for h in held])
        got[np.asarray(held, dtype=bool)] = predict(
            subset(every, held), fit(matrix(rest), rest.cumulative, c)
        )
    return every, got


def train(items: Sequence[Item]) -> tuple[ScopeModel, dict[str, Any]]:
    """The scope model fitted on the train split, C chosen on validation, and its configuration."""
    train_units = units([i for i in items if i.split == "train"])
    val_units = units([i for i in items if i.split == "validation"])
    x = matrix(train_units)
    best, model, scores = choose_c(
        C_GRID,
        lambda c: fit(x, train_units.cumulative, c),
        lambda m: measure(val_units, m),
        rank=lambda s: (s["cumulative_f1"], s["accuracy"]),
    )
    config = {
        "_doc": "The scope model's settings (written by `sitrep train`, streams/learn/scope.py).",
        "c": best,
        "threshold": THRESHOLD,
        "training": {"units": len(train_units.spans), "cumulative": int(train_units.cumulative.sum())},
        "validation": {
            "units": len(val_units.spans),
            "cumulative": int(val_units.cumulative.sum()),
            "by_c": {str(c): scores[c] for c in C_GRID},
            "cues_alone": measure(val_units, None),
        },
    }
    return model, config


def cross_validate(items: Sequence[Item], c: float, k: int = 5) -> list[tuple[float, float]]:
    """Per fold of theatres (train + validation): the cumulative class's F1 of the cues alone and of the
    model trained on the other folds."""
    every = units([i for i in items if i.split != "test"])
    return grouped_cv(
        every.theatres,
        lambda keep: subset(every, keep),
        lambda rest: fit(matrix(rest), rest.cumulative, c),
        lambda u, model: measure(u, model)["cumulative_f1"],
        k,
    )


def main(argv: Sequence[str]) -> None:
    corpus = Path(argv[0]) if argv else Path("corpus")
    items = load(corpus, default_shared(corpus))
    _, config = train(items)
    print(f"validation (C chosen: {config['c']}): {config['validation']}")
    for c in C_GRID:
        folds = cross_validate(items, c)
        cues, learned = (round(float(np.mean(x)), 4) for x in zip(*folds, strict=True))
        print(f"C={c}: grouped CV cumulative F1 cues {cues} model {learned}; folds {folds}")
        every, got = out_of_fold(items, c)
        for name, least in (("casualty", 0.0), ("casualty >= 100", 100.0)):
            mask = tolls(every, least)
            score = scores(got[mask], every.cumulative[mask])
            print(f"  out of fold, {name} ({int(mask.sum())} units): {score}")


def write(model: ScopeModel, config: dict[str, Any], out: Path) -> list[Path]:
    """The weights (sparse, half precision) and the configuration, byte-identical for the same input."""
    index = np.flatnonzero(model.weights)
    arrays = {
        "index": index.astype(np.int32),
        "values": model.weights[index].astype(np.float16),
        "bias": np.asarray([model.bias], dtype=np.float32),
    }
    return write_model(out, WEIGHTS_FILE, arrays, CONFIG_FILE, config)


if __name__ == "__main__":
    main(sys.argv[1:])
