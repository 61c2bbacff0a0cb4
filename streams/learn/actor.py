"""Measure a learned actor chooser (issue 13): a binary logistic regression over each event's candidate
actors (streams/learn/actor_features.py), the best-scoring candidate chosen, against the rules' actor.

Rows are the candidates of the labelled events that the shipped classifier finds in the right sentence
and category (a denial is left out: it keeps the rules' actor); a pair is positive when the candidate is
the labelled actor, compared as evaluation compares them. Judged by grouped 5-fold CV by theatre over
train + validation, and train -> validation; the test split is never read. The cost is the chooser's
time over classify's on the corpus articles. Not shipped: see MODEL_CARD.md, "Actor chooser".

    python -m streams.learn.actor [corpus]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from streams.classify.detect.learned import Detector
from streams.classify.extract.dateline import dateline_country
from streams.classify.pipeline import classify
from streams.classify.text.normalize import normalize
from streams.classify.text.segment import split_sentences
from streams.learn.actor_features import ActorModel, Sources, pair_features, walk
from streams.learn.data import Item

C_GRID = (0.3, 1.0, 4.0)  # the L2 strengths measured


def _norm(value: str | None) -> str | None:
    return value.strip().lower() if value else None


@dataclass(frozen=True)
class Unit:
    """One found event with a labelled sentence: its candidates, the rules' actor and the label's."""

    theatre: str
    category: str
    rule: str | None
    gold: str | None  # normalised
    cands: Sources


def units(items: Sequence[Item], detector: Detector | None) -> list[Unit]:
    out: list[Unit] = []
    for item in items:
        found = classify(item.body, item.published_at, detector=detector)
        text = normalize(item.body)
        home = dateline_country(text) if found else None
        labels = {(e["category"], e["sentence"]): e for e in item.events}
        for event, cands in zip(found, walk(found, text, split_sentences(text), home), strict=True):
            label = labels.get((event.category, item.body[event.evidence.start : event.evidence.end]))
            if label is None or event.status == "denied":
                continue
            out.append(Unit(item.theatre, event.category, event.actor, _norm(label.get("actor")), cands))
    return out


def fit(train: Sequence[Unit], c: float) -> ActorModel:
    from sklearn.feature_extraction import DictVectorizer  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    rows, ys = [], []
    for u in train:
        for cand, where in u.cands.items():
            rows.append(dict.fromkeys(pair_features(u.category, where), 1.0))
            ys.append(int(_norm(cand) == u.gold))
    vec = DictVectorizer(sort=True)
    model = LogisticRegression(C=c, solver="lbfgs", max_iter=3000, tol=1e-6)
    model.fit(vec.fit_transform(rows), np.asarray(ys))
    coef = model.coef_[0].astype(np.float16).astype(float)  # half precision, as weights would ship
    names = vec.get_feature_names_out()
    return ActorModel(
        {str(n): float(w) for n, w in zip(names, coef, strict=True) if w != 0}, float(model.intercept_[0])
    )


def accuracy(us: Sequence[Unit], model: ActorModel | None) -> float:
    """Share of the units whose actor is right (model None: the rules' actor)."""
    if not us:
        return 1.0
    got = [u.rule if model is None else model.choose(u.category, u.cands) for u in us]
    return round(float(np.mean([_norm(g) == u.gold for g, u in zip(got, us, strict=True)])), 4)


def validation(items: Sequence[Item], detector: Detector | None, c: float) -> tuple[float, float, float]:
    """Trained on train, on validation: the rules' accuracy, the model's, the candidates' ceiling."""
    train_units = units([i for i in items if i.split == "train"], detector)
    val = units([i for i in items if i.split == "validation"], detector)
    oracle = round(float(np.mean([any(_norm(k) == u.gold for k in u.cands) for u in val])), 4)
    return accuracy(val, None), accuracy(val, fit(train_units, c)), oracle


def cost(items: Sequence[Item], model: ActorModel, rounds: int = 5) -> tuple[float, float]:
    """Seconds per pass over the articles (best of `rounds`): classify alone, and the chooser after it
    (run after all of them, so the per-sentence memo, which keeps the last few sentences, is cold)."""
    articles = [i for i in items if i.kind == "articles"]
    alone, chooser = [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        found = [classify(i.body, i.published_at) for i in articles]
        t1 = time.perf_counter()
        t2 = time.perf_counter()
        for item, events in zip(articles, found, strict=True):
            text = normalize(item.body)
            home = dateline_country(text) if events else None
            for e, cands in zip(events, walk(events, text, split_sentences(text), home), strict=True):
                model.choose(e.category, cands)
        chooser.append(time.perf_counter() - t2)
        alone.append(t1 - t0)
    return min(alone), min(chooser)


def grouped_cv(
    items: Sequence[Item], detector: Detector | None, c: float, k: int = 5
) -> list[tuple[float, float]]:
    """Per fold of theatres (train + validation): the rules' actor accuracy and the model's, trained on
    the other folds (the detector fixed)."""
    from streams.learn.data import theatre_folds

    every = units([i for i in items if i.split != "test"], detector)
    out = []
    for theatres in theatre_folds([u.theatre for u in every], k):
        held = [u for u in every if u.theatre in theatres]
        model = fit([u for u in every if u.theatre not in theatres], c)
        out.append((accuracy(held, None), accuracy(held, model)))
    return out


def main(argv: Sequence[str]) -> None:
    from streams.classify.detect.learned import DETECTOR
    from streams.learn.data import default_shared, load

    corpus = Path(argv[0]) if argv else Path("corpus")
    items = load(corpus, default_shared(corpus))
    for c in C_GRID:
        folds = grouped_cv(items, DETECTOR, c)
        rules, learned = (round(float(np.mean(x)), 4) for x in zip(*folds, strict=True))
        print(f"C={c}: grouped CV actor accuracy rules {rules} model {learned}; folds {folds}")
        print(f"C={c}: validation (rules, model, candidates' ceiling) {validation(items, DETECTOR, c)}")
    model = fit(units([i for i in items if i.split == "train"], DETECTOR), 1.0)
    alone, chooser = cost(items, model)
    share = f"{chooser / alone:.0%}"
    print(f"cost on the corpus articles: classify {alone:.3f} s, chooser +{chooser:.3f} s ({share})")


if __name__ == "__main__":
    main(sys.argv[1:])
