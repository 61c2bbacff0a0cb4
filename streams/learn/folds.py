"""Grouped k-fold cross-validation by theatre of a per-event model against the rules it refines: the
one loop the status model and the actor chooser share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from streams.learn.data import theatre_folds

U = TypeVar("U")  # the units: a list of rows or a table of columns
M = TypeVar("M")  # a fitted model


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
    for fold in theatre_folds(theatres, k):
        held = [t in fold for t in theatres]
        test = take(held)
        model = fit(take([not h for h in held]))
        out.append((accuracy(test, None), accuracy(test, model)))
    return out
