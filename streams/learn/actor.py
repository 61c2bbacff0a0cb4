"""The actor chooser's training (part of `sitrep train`): a binary logistic regression over each event's
candidate actors (streams/classify/extract/actor_choice.py), the best-scoring candidate chosen.

Rows are the candidates of the labelled events that the classifier (the detector just trained, the
rules' actor) finds in the right sentence and category, as classify computes them in its loop; a
denial is left out (it keeps the rules' actor). A pair is positive when the candidate is the labelled
actor, compared as evaluation compares them. C is chosen on the validation split by accuracy; the test
split is never read here. `python -m streams.learn.actor` prints grouped 5-fold CV by theatre, the
validation scores and the candidates' ceiling, and the chooser's cost (MODEL_CARD.md, "Actor chooser").
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from streams.classify.detect.learned import Detector
from streams.classify.extract.actor_choice import (
    CONFIG_FILE,
    WEIGHTS_FILE,
    ActorModel,
    Candidates,
    from_arrays,
    pair_features,
)
from streams.classify.model import Category
from streams.classify.pipeline import classify
from streams.learn.data import Item
from streams.learn.folds import choose_c, grouped_cv
from streams.learn.npz import write_model

C_GRID = (0.3, 1.0, 4.0)  # the L2 strengths measured (grouped CV 0.616, 0.617, 0.615 on the 127 theatres)


def _norm(value: str | None) -> str | None:
    return value.strip().lower() if value else None


@dataclass(frozen=True)
class Unit:
    """One found event with a labelled sentence: its candidates, the rules' actor and the label's."""

    theatre: str
    category: Category
    rule: str | None
    gold: str | None  # normalised
    cands: Candidates


@dataclass
class Recorder:
    """A chooser that keeps the rules' actor and records each event's candidates, in classify's order."""

    seen: list[tuple[Category, Candidates]] = field(default_factory=list)

    def choose(self, category: Category, cands: Candidates) -> str | None:
        self.seen.append((category, cands))
        # none when the rules' pick is no candidate (a toll's claimant: extract/claimant.py)
        return next((c for c, where in cands.where.items() if "rule" in where), None)


def units(items: Sequence[Item], detector: Detector | None) -> list[Unit]:
    out: list[Unit] = []
    for item in items:
        recorder = Recorder()
        found = classify(
            item.body, item.published_at, detector=detector, status_model=None, actor_model=recorder
        )
        chosen = [e for e in found if e.status != "denied"]  # the events the chooser saw, in order
        labels = {(e["category"], e["sentence"]): e for e in item.events}
        for event, (_, cands) in zip(chosen, recorder.seen, strict=True):
            label = labels.get((event.category, item.body[event.evidence.start : event.evidence.end]))
            if label is not None:
                out.append(Unit(item.theatre, event.category, event.actor, _norm(label.get("actor")), cands))
    return out


def fit(train: Sequence[Unit], c: float) -> ActorModel:
    from sklearn.feature_extraction import DictVectorizer  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    rows, ys = [], []
    for u in train:
        for cand, where in u.cands.where.items():
            rows.append(dict.fromkeys(pair_features(u.category, where, u.cands.traits), 1.0))
            ys.append(int(_norm(cand) == u.gold))
    vec = DictVectorizer(sort=True)
    model = LogisticRegression(C=c, solver="lbfgs", max_iter=3000, tol=1e-6)
    model.fit(vec.fit_transform(rows), np.asarray(ys))
    coef = model.coef_[0].astype(np.float16).astype(float)  # half precision, as the weights ship
    names = [str(n) for n in vec.get_feature_names_out()]
    kept = [(n, w) for n, w in zip(names, coef.tolist(), strict=True) if w != 0]
    bias = float(np.float32(model.intercept_[0]))
    return from_arrays([n for n, _ in kept], [w for _, w in kept], bias)


def accuracy(us: Sequence[Unit], model: ActorModel | None) -> float:
    """Share of the units whose actor is right (model None: the rules' actor)."""
    if not us:
        return 1.0
    got = [u.rule if model is None else model.choose(u.category, u.cands) for u in us]
    return round(float(np.mean([_norm(g) == u.gold for g, u in zip(got, us, strict=True)])), 4)


def ceiling(us: Sequence[Unit]) -> float:
    """Share of the units whose labelled actor is among the candidates: what any chooser can reach."""
    return (
        round(float(np.mean([any(_norm(k) == u.gold for k in u.cands.where) for u in us])), 4) if us else 1.0
    )


def train(items: Sequence[Item], detector: Detector | None) -> tuple[ActorModel, dict[str, Any]]:
    """The chooser fitted on the train split, C chosen on validation, and its configuration."""
    train_units = units([i for i in items if i.split == "train"], detector)
    val_units = units([i for i in items if i.split == "validation"], detector)
    best, model, scores = choose_c(C_GRID, lambda c: fit(train_units, c), lambda m: accuracy(val_units, m))
    config = {
        "_doc": "The actor chooser's settings (written by `sitrep train`, streams/learn/actor.py); "
        "`features` names the weights of actor.npz, in order.",
        "c": best,
        "features": sorted(model.weights),
        "training": {"units": len(train_units)},
        "validation": {
            "units": len(val_units),
            "accuracy_by_c": {str(c): scores[c] for c in C_GRID},
            "rules_alone": accuracy(val_units, None),
            "candidates_ceiling": ceiling(val_units),
        },
    }
    return model, config


def write(model: ActorModel, config: dict[str, Any], out: Path) -> list[Path]:
    """The weights (half precision, in the order of the configuration's `features`) and the configuration."""
    arrays = {
        "weights": np.asarray([model.weights[n] for n in config["features"]], dtype=np.float16),
        "bias": np.asarray([model.bias], dtype=np.float32),
    }
    return write_model(out, WEIGHTS_FILE, arrays, CONFIG_FILE, config)


def cross_validate(items: Sequence[Item], detector: Detector | None, c: float) -> list[tuple[float, float]]:
    """Per fold of theatres (train + validation): the rules' actor accuracy and the chooser's."""
    every = units([i for i in items if i.split != "test"], detector)
    return grouped_cv(
        [u.theatre for u in every],
        lambda keep: [u for u, k in zip(every, keep, strict=True) if k],
        lambda rest: fit(rest, c),
        accuracy,
    )


def cost(items: Sequence[Item], model: ActorModel, rounds: int = 5) -> tuple[float, float]:
    """Seconds per pass over the corpus articles (best of `rounds`): classify without the chooser and with."""
    articles = [i for i in items if i.kind == "articles"]
    without: list[float] = []
    with_: list[float] = []
    for _ in range(rounds):
        for chooser, times in ((None, without), (model, with_)):
            t0 = time.perf_counter()
            for i in articles:
                classify(i.body, i.published_at, actor_model=chooser)
            times.append(time.perf_counter() - t0)
    return min(without), min(with_)


def main(argv: Sequence[str]) -> None:
    from streams.classify.detect.learned import DETECTOR
    from streams.learn.data import default_shared, load

    corpus = Path(argv[0]) if argv else Path("corpus")
    items = load(corpus, default_shared(corpus))
    model, config = train(items, DETECTOR)
    print(f"validation: {config['validation']}")
    for c in C_GRID:
        folds = cross_validate(items, DETECTOR, c)
        rules, learned = (round(float(np.mean(x)), 4) for x in zip(*folds, strict=True))
        print(f"C={c}: grouped CV actor accuracy rules {rules} chooser {learned}; folds {folds}")
    without, with_ = cost(items, model)
    print(
        f"cost on the corpus articles: {without:.3f} s without the chooser, {with_:.3f} s with "
        f"({with_ / without - 1:+.1%})"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
