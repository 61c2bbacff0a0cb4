"""Model selection shared by the per-event models (scope, status, actor chooser): C chosen on the
validation split, and grouped k-fold cross-validation by theatre against the rules each refines."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import fields
from typing import Any, TypeVar

import numpy as np

from streams.learn.data import theatre_folds

U = TypeVar("U")  # the units: a list of rows or a table of columns
M = TypeVar("M")  # a fitted model
S = TypeVar("S")  # a model's score on validation


def choose_c(
    grid: Sequence[float],
    fit: Callable[[float], M],
    score: Callable[[M], S],
    rank: Callable[[S], Any] = lambda s: s,
) -> tuple[float, M, dict[float, S]]:
    """The C of `grid` whose model ranks highest on validation (the first on a tie), its model, and
    every C's score: `fit(c)` trains on the train split, `score(model)` measures it on validation."""
    tried = {c: fit(c) for c in grid}
    scores = {c: score(m) for c, m in tried.items()}
    best = max(grid, key=lambda c: rank(scores[c]))
    return best, tried[best], scores


def subset(units: U, keep: Sequence[bool]) -> U:
    """The rows of a dataclass of columns where `keep` is true, every column alike (lists filtered,
    arrays masked)."""
    mask = np.asarray(keep, dtype=bool)

    def rows(column: Any) -> Any:
        if isinstance(column, np.ndarray):
            return column[mask]
        return [v for v, k in zip(column, keep, strict=True) if k]

    return type(units)(**{f.name: rows(getattr(units, f.name)) for f in fields(units)})


def held_out(theatres: Sequence[str], k: int = 5) -> Iterator[list[bool]]:
    """Each fold of theatres (data.theatre_folds) as a mask over the units: true where held out."""
    for fold in theatre_folds(theatres, k):
        yield [t in fold for t in theatres]


def grouped_cv(
    theatres: Sequence[str],
    take: Callable[[list[bool]], U],
    fit: Callable[[U], M],
    accuracy: Callable[[U, M | None], float],
    k: int = 5,
) -> list[tuple[float, float]]:
    """Per fold of theatres: the rules' accuracy (model None) and the model's, fitted on the other folds.

    `theatres`: each unit's; `take(keep)`: the units where `keep` is true.
    """
    out = []
    for held in held_out(theatres, k):
        test = take(held)
        model = fit(take([not h for h in held]))
        out.append((accuracy(test, None), accuracy(test, model)))
    return out
