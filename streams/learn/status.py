"""The status model's training (part of `sitrep train`): a multinomial logistic regression over
reported, planned, possible and expected, the rules' status one of its features.

Rows are the labelled events of the train split that the classifier (the detector just trained, the
rules' status) finds in the right sentence and category; a denial, labelled or ruled, is left out (the
rules keep it). C is chosen on the validation split by accuracy; the validation accuracy of the model
and of the rules alone are written beside the weights. The test split is never read here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

from streams.classify.detect.features import DIM
from streams.classify.detect.learned import Detector
from streams.classify.detect.status_model import CONFIG_FILE, LEARNED, WEIGHTS_FILE, StatusModel, cue_names
from streams.classify.model import Category, Status
from streams.classify.pipeline import classify
from streams.classify.text.normalize import lower_same_length, normalize
from streams.learn.data import Item
from streams.learn.folds import choose_c, grouped_cv, subset
from streams.learn.npz import unit_matrix, write_model

C_GRID = (4.0, 16.0)


@dataclass
class Units:
    """Found events with a labelled status: their texts, spans, categories, the rules' and the labels'."""

    low: list[str] = field(default_factory=list)  # per unit, its item's normalised lowercased body
    spans: list[tuple[int, int]] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    ruled: list[Status] = field(default_factory=list)
    labelled: list[Status] = field(default_factory=list)
    theatres: list[str] = field(default_factory=list)


def units(items: Sequence[Item], detector: Detector | None) -> Units:
    out = Units()
    for item in items:
        found = classify(item.body, item.published_at, detector=detector, status_model=None, actor_model=None)
        by_sentence = {(e.category, item.body[e.evidence.start : e.evidence.end]): e for e in found}
        low = lower_same_length(normalize(item.body))
        for label in item.events:
            event = by_sentence.get((label["category"], label["sentence"]))
            if event is None or "denied" in (event.status, label["status"]):
                continue
            out.low.append(low)
            out.spans.append((event.evidence.start, event.evidence.end))
            out.categories.append(event.category)
            out.ruled.append(event.status)
            out.labelled.append(label["status"])
            out.theatres.append(item.theatre)
    return out


def matrix(u: Units) -> Any:
    return unit_matrix(u.low, u.spans, [cue_names(c, r) for c, r in zip(u.categories, u.ruled, strict=True)])


def fit(u: Units, c: float) -> StatusModel:
    y = np.asarray([LEARNED.index(s) for s in u.labelled])
    model = LogisticRegression(C=c, solver="lbfgs", max_iter=3000, tol=1e-6)
    model.fit(matrix(u), y)
    if len(model.classes_) < 3:  # sklearn's binary case has one row of weights
        raise ValueError(f"the status model needs three classes or more, got {list(model.classes_)}")
    weights = np.zeros((DIM, len(LEARNED)), dtype=np.float32)
    weights[:, model.classes_] = model.coef_.T.astype(np.float16).astype(np.float32)  # stored in half
    bias = np.full(len(LEARNED), -1e4, dtype=np.float32)  # a class absent from training is never chosen
    bias[model.classes_] = model.intercept_.astype(np.float32)
    return StatusModel(weights, bias)


def accuracy(u: Units, model: StatusModel | None) -> float:
    """Share of the units whose status is right (model None: the rules' status)."""
    if not u.spans:
        return 1.0
    if model is None:
        got: list[Status] = list(u.ruled)
    else:
        got = []
        for low, span, category, ruled in zip(u.low, u.spans, u.categories, u.ruled, strict=True):
            scores = model.logits(low, [span], [cue_names(category, ruled)], None)
            got.append(LEARNED[int(scores[0].argmax())])
    return round(float(np.mean([g == s for g, s in zip(got, u.labelled, strict=True)])), 4)


def train(items: Sequence[Item], detector: Detector | None) -> tuple[StatusModel, dict[str, Any]]:
    """The status model fitted on the train split, C chosen on validation, and its configuration."""
    train_units = units([i for i in items if i.split == "train"], detector)
    val_units = units([i for i in items if i.split == "validation"], detector)
    best, model, scores = choose_c(C_GRID, lambda c: fit(train_units, c), lambda m: accuracy(val_units, m))
    config = {
        "_doc": "The status model's settings (written by `sitrep train`, streams/learn/status.py).",
        "c": best,
        "classes": list(LEARNED),
        "training": {"units": len(train_units.spans)},
        "validation": {
            "units": len(val_units.spans),
            "accuracy_by_c": {str(c): scores[c] for c in C_GRID},
            "rules_alone": accuracy(val_units, None),
        },
    }
    return model, config


def write(model: StatusModel, config: dict[str, Any], out: Path) -> list[Path]:
    """The weights (sparse rows, half precision) and the configuration, byte-identical for the same input."""
    index = np.flatnonzero(np.any(model.weights != 0, axis=1))
    arrays = {
        "index": index.astype(np.int32),
        "values": model.weights[index].astype(np.float16),
        "bias": model.bias.astype(np.float32),
    }
    return write_model(out, WEIGHTS_FILE, arrays, CONFIG_FILE, config)


def cross_validate(
    items: Sequence[Item], detector: Detector | None, c: float, k: int = 5
) -> list[tuple[float, float]]:
    """Per fold of theatres (train + validation): the rules' status accuracy and the model's, trained on
    the other folds (the detector fixed)."""
    every = units([i for i in items if i.split != "test"], detector)
    return grouped_cv(
        every.theatres, lambda keep: subset(every, keep), lambda rest: fit(rest, c), accuracy, k
    )
