"""An event's scope: `incident` (news of one occurrence) or `cumulative` (a running total, a standing
presence, history), as ../shared/spec/taxonomy.md defines it.

A logistic regression over the evidence sentence's words and bigrams (features.py), its category and
the cumulative cues of data/scope_cues.json ("since the war began", "so far", "are based in", year
ranges), and for a casualty each cue paired with the category (a toll's cues weigh apart: out of
fold, casualty tolls of 100 or more 0.777 -> 0.796 accurate, grouped CV of every category flat).
Weights are data (data/scope.npz, data/scope.json), written by `sitrep train` (streams/learn/scope.py).
Without shipped weights the cues alone decide. A forecast is always an incident: it predicts one.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from importlib.resources import files
from typing import Any

import ahocorasick  # type: ignore[import-not-found]  # a C extension without stubs
import numpy as np
import numpy.typing as npt

from streams.classify.detect.features import DIM, Tokens, cue_bucket, cue_buckets, featurize, word_buckets
from streams.classify.model import CATEGORIES, Category, Event, Scope
from streams.classify.resources import read_json

WEIGHTS_FILE = "scope.npz"
CONFIG_FILE = "scope.json"

_CUES_DATA: dict[str, Any] = read_json("scope_cues.json")


@dataclass(frozen=True)
class Cue:
    words: tuple[str, ...]  # every match of the regex contains one of these: a substring test first
    regex: re.Pattern[str]

    def search(self, sentence_low: str) -> bool:
        for word in self.words:  # a plain loop: any() over a generator costs more than the tests
            if word in sentence_low:
                return self.regex.search(sentence_low) is not None
        return False


CUES: dict[str, Cue] = {
    name: Cue(tuple(cue["words"]), re.compile(cue["regex"]))
    for name, cue in _CUES_DATA.items()
    if not name.startswith("_")
}
# features of the model that do not make a claim cumulative alone: too loose, or cues of an incident
_DATED = frozenset(_CUES_DATA["_dated"])  # a month or a year: the model weighs it, no rule
_NOT_ALONE = frozenset(_CUES_DATA["_weak"]) | frozenset(_CUES_DATA["_incident"]) | _DATED
_NEWS = frozenset(_CUES_DATA["_incident"]) - {"day"}  # a weekday alone also dates a running total
_DAY = frozenset({"event_day"})  # a weekday dating the occurrence: news, but not of what a memorial marks
_HISTORY = frozenset(_CUES_DATA["_history"])
_MEMORIAL = frozenset(_CUES_DATA["_memorial"])  # an anniversary: what it marks is history


def _cue_words() -> Any:
    """One automaton over every cue's words, each mapped to the indices (in CUES order) of its cues."""
    auto = ahocorasick.Automaton()
    by_word: dict[str, list[int]] = {}
    for i, cue in enumerate(CUES.values()):
        for word in cue.words:
            by_word.setdefault(word, []).append(i)
    for word, indices in by_word.items():
        auto.add_word(word, tuple(indices))
    auto.make_automaton()
    return auto


_CUE_WORDS = _cue_words()
_CUE_LIST = [("sc:" + name, cue.regex) for name, cue in CUES.items()]


def sentence_cues(sentence_low: str) -> list[str]:
    """The cue features of one sentence (whatever its event's category).

    What `[name for each cue if cue.search(sentence_low)]` gives: one pass finds which cues' words occur,
    and only their regexes run (15 substring loops cost 5x more).
    """
    present: set[int] = set()
    for _, indices in _CUE_WORDS.iter(sentence_low):
        present.update(indices)
    return [_CUE_LIST[i][0] for i in sorted(present) if _CUE_LIST[i][1].search(sentence_low)]


def pair_names(category: Category, cues: Sequence[str]) -> list[str]:
    """Each cue paired with the event's category, for a casualty only: a cue may weigh one way for a toll
    and another for a presence ("remain" of the wounded against troops that remain). Pairs for every
    category were measured: grouped CV 0.6508 -> 0.6494, casualty-only pairs 0.6506."""
    return [f"c:{category}|{cue}" for cue in cues] if category == "casualty" else []


def cue_names(sentence_low: str, category: Category) -> list[str]:
    """The named features of one (sentence, category): its category, the cues it carries and each cue
    paired with the category."""
    cues = sentence_cues(sentence_low)
    return ["c:" + category, *cues, *pair_names(category, cues)]


def features(
    low: str, spans: Sequence[tuple[int, int]], categories: Sequence[Category]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """(row, bucket, value) triples of the (sentence, category) rows, as training reads them."""
    names = [cue_names(low[s:e], c) for (s, e), c in zip(spans, categories, strict=True)]
    return featurize(low, spans, names, chars=False, words=True, bigrams=True)


@dataclass(frozen=True)
class ScopeModel:
    weights: npt.NDArray[np.float32]  # (DIM,)
    bias: float
    threshold: float  # cumulative from this probability

    @cached_property
    def _category_weights(self) -> dict[str, float]:
        """Each category's weight (its named feature "c:<category>"), read once."""
        return {c: float(self.weights[cue_bucket("c:" + c)]) for c in CATEGORIES}

    def logits(
        self,
        low: str,
        spans: Sequence[tuple[int, int]],
        categories: Sequence[Category],
        cues: dict[tuple[int, int], list[str]] | None = None,
        tokens: Tokens | None = None,
    ) -> npt.NDArray[np.float64]:
        """The model's log-odds of `features`, computed once per distinct sentence.

        Linear, so a row is its sentence's part (words and bigrams at 1/sqrt(2 * tokens), cues at 1)
        plus its category's weight; a sentence with two events is read once. `cues`: each span's
        `sentence_cues`, when the caller has them already; `tokens`, the article's hashed words.
        """
        distinct = list(dict.fromkeys(spans))
        if cues is None:
            cues = {(s, e): sentence_cues(low[s:e]) for s, e in distinct}
        sizes, words, pairs = word_buckets(low, distinct, tokens=tokens)
        rows = np.repeat(np.arange(len(distinct), dtype=np.int64), sizes)
        scale = 1.0 / np.sqrt(np.maximum(2.0 * np.asarray(sizes, dtype=np.float64), 1.0))
        assert pairs is not None  # bigrams are on
        text = np.bincount(rows, weights=self.weights[words] + self.weights[pairs], minlength=len(distinct))
        counts, cols = cue_buckets([cues[span] for span in distinct])
        cue_rows = np.repeat(np.arange(len(distinct), dtype=np.int64), counts)
        cue = np.bincount(cue_rows, weights=self.weights[cols], minlength=len(distinct))
        per_sentence = dict(zip(distinct, text * scale + cue, strict=True))
        return np.asarray(
            [
                per_sentence[span] + self._category_weights[c] + self._pair_weight(c, cues[span]) + self.bias
                for span, c in zip(spans, categories, strict=True)
            ],
            dtype=np.float64,
        )

    def _pair_weight(self, category: Category, cues: Sequence[str]) -> float:
        """The weights of the sentence's cues paired with this row's category (`pair_names`)."""
        return float(sum(self.weights[cue_bucket(name)] for name in pair_names(category, cues)))

    def probabilities(
        self,
        low: str,
        spans: Sequence[tuple[int, int]],
        categories: Sequence[Category],
        cues: dict[tuple[int, int], list[str]] | None = None,
        tokens: Tokens | None = None,
    ) -> npt.NDArray[np.float64]:
        logits = self.logits(low, spans, categories, cues, tokens)
        out: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-logits))
        return out


def _by_cues(sentence_low: str) -> bool:
    return any(cue.search(sentence_low) for name, cue in CUES.items() if name not in _NOT_ALONE)


def _by_rule(cues: list[str]) -> bool | None:
    """The guide's own rules, before the model: cumulative (True), incident (False) or None.

    News: an increment ("3,000 more soldiers"), a span of days ("since Thursday", "in the past 24
    hours": one battle) or a corrected toll of one attack ("Monday's bombardment had killed 558"),
    unless a total or a long period is given too. History ("in the late 1980s", "decades ago") is
    cumulative, unless a news cue dates the claim to now; so is what an anniversary marks, whatever
    day the marking is ("marked on Thursday the anniversary of the attack").
    """
    names = {name[3:] for name in cues}
    if names & _MEMORIAL and not names & (_NEWS - _DAY):  # "marked on Thursday the anniversary of ..."
        return True
    if names & _NEWS and names <= _NOT_ALONE - _DATED:
        return False
    if names & _HISTORY and not names & (_NOT_ALONE - _DATED):
        return True
    return None


def scopes(
    low: str,
    spans: Sequence[tuple[int, int]],
    categories: Sequence[Category],
    model: ScopeModel | None,
    tokens: Tokens | None = None,
) -> list[Scope]:
    """The scope of each (sentence span of the lowercased text, category).

    The guide's rules (`_by_rule`) override the model: the labels call an increment an incident 33
    times in 40, the model's words ("has sent") outvote it.
    """
    if model is None:
        cumulative = [_by_cues(low[s:e]) for s, e in spans]
    else:
        cues = {span: sentence_cues(low[span[0] : span[1]]) for span in dict.fromkeys(spans)}
        probabilities = model.probabilities(low, spans, categories, cues, tokens)
        ruled = {span: _by_rule(found) for span, found in cues.items()}
        cumulative = [
            bool(p >= model.threshold) if ruled[span] is None else bool(ruled[span])
            for p, span in zip(probabilities, spans, strict=True)
        ]
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


def scoped(
    events: list[Event], low: str, model: ScopeModel | None = MODEL, tokens: Tokens | None = None
) -> list[Event]:
    """The events with their scope set; `low` is the article's normalised lowercased text, `tokens` its
    words as the detector hashed them (features.Tokens), when it did."""
    if not events:
        return events
    spans = [(e.evidence.start, e.evidence.end) for e in events]
    found = scopes(low, spans, [e.category for e in events], model, tokens)
    return [e if e.scope == s else replace(e, scope=s) for e, s in zip(events, found, strict=True)]
