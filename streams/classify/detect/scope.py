"""An event's scope: `incident` (news of one occurrence) or `cumulative` (a running total, a standing
presence, history), as ../shared/spec/taxonomy.md defines it.

A logistic regression over the evidence sentence's words and bigrams (features.py), its category and
the cumulative cues of data/scope_cues.json ("since the war began", "so far", "are based in", year
ranges). Weights are data (data/scope.npz, data/scope.json), written by `sitrep train`
(streams/learn/scope.py). Without shipped weights the cues alone decide. A forecast is always an
incident: it predicts one.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib.resources import files

import numpy as np
import numpy.typing as npt

from streams.classify.detect.features import DIM, featurize
from streams.classify.model import Category, Event, Scope
from streams.classify.resources import read_json

WEIGHTS_FILE = "scope.npz"
CONFIG_FILE = "scope.json"

_CUES_DATA: dict[str, str | list[str]] = read_json("scope_cues.json")
CUES: dict[str, re.Pattern[str]] = {
    name: re.compile(str(pattern)) for name, pattern in _CUES_DATA.items() if not name.startswith("_")
}
# features of the model that do not make a claim cumulative alone: too loose, or cues of an incident
_NOT_ALONE = frozenset(_CUES_DATA["_weak"]) | frozenset(_CUES_DATA["_incident"])


def cue_names(sentence_low: str, category: Category) -> list[str]:
    """The named features of one (sentence, category): its category and the cues it carries."""
    return ["c:" + category] + ["sc:" + name for name, cue in CUES.items() if cue.search(sentence_low)]


def features(
    low: str, spans: Sequence[tuple[int, int]], categories: Sequence[Category]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """(row, bucket, value) triples of the (sentence, category) rows: training and inference share them."""
    names = [cue_names(low[s:e], c) for (s, e), c in zip(spans, categories, strict=True)]
    return featurize(low, spans, names, chars=False, words=True, bigrams=True)


@dataclass(frozen=True)
class ScopeModel:
    weights: npt.NDArray[np.float32]  # (DIM,)
    bias: float
    threshold: float  # cumulative from this probability

    def probabilities(
        self, low: str, spans: Sequence[tuple[int, int]], categories: Sequence[Category]
    ) -> npt.NDArray[np.float64]:
        rows, cols, vals = features(low, spans, categories)
        logits = np.bincount(rows, weights=self.weights[cols] * vals, minlength=len(spans)) + self.bias
        out: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-logits))
        return out


def _by_cues(sentence_low: str) -> bool:
    return any(cue.search(sentence_low) for name, cue in CUES.items() if name not in _NOT_ALONE)


def scopes(
    low: str, spans: Sequence[tuple[int, int]], categories: Sequence[Category], model: ScopeModel | None
) -> list[Scope]:
    """The scope of each (sentence span of the lowercased text, category)."""
    if model is None:
        cumulative = [_by_cues(low[s:e]) for s, e in spans]
    else:
        cumulative = [bool(p >= model.threshold) for p in model.probabilities(low, spans, categories)]
    return [
        "cumulative" if c and category != "forecast" else "incident"
        for c, category in zip(cumulative, categories, strict=True)
    ]


def from_arrays(
    index: npt.NDArray[np.int64], values: npt.NDArray[np.float32], bias: float, threshold: float
) -> ScopeModel:
    weights = np.zeros(DIM, dtype=np.float32)
    weights[index] = values
    return ScopeModel(weights, float(bias), float(threshold))


def load() -> ScopeModel | None:
    """The shipped scope model, or None (the cues decide) when no weights are shipped."""
    data = files("streams.classify").joinpath("data")
    if not data.joinpath(WEIGHTS_FILE).is_file():
        return None
    config = json.loads(data.joinpath(CONFIG_FILE).read_text(encoding="utf-8"))
    with np.load(io.BytesIO(data.joinpath(WEIGHTS_FILE).read_bytes())) as npz:
        return from_arrays(npz["index"], npz["values"], float(npz["bias"][0]), config["threshold"])


MODEL = load()


def scoped(events: list[Event], low: str, model: ScopeModel | None = MODEL) -> list[Event]:
    """The events with their scope set; `low` is the article's normalised lowercased text."""
    if not events:
        return events
    spans = [(e.evidence.start, e.evidence.end) for e in events]
    found = scopes(low, spans, [e.category for e in events], model)
    return [e if e.scope == s else replace(e, scope=s) for e, s in zip(events, found, strict=True)]
