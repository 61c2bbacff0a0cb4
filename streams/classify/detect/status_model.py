"""An event's status (reported, planned, possible, expected) chosen by a learned model, the rules' status
one of its features.

The rules read status from cues before a category's trigger words (detect/status.py); their commonest
errors on the labelled corpus are a plan or an offer read as done ("agreed to send", "will hand over")
and a forecast's likelihood ("could", "is likely to"). A multinomial logistic regression over the
evidence sentence's words and bigrams (features.py), its category, and the rules' status (alone and
crossed with the category) learns those wordings from the corpus. A rule's denial always stands, and
the model never makes a denial: the corpus holds too few denials to learn them. Weights are data
(data/status.npz, data/status.json), written by `sitrep train` (streams/learn/status.py); without
them the rules' status stands.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib.resources import files

import numpy as np
import numpy.typing as npt

from streams.classify.detect.features import DIM, Tokens, cue_buckets, word_buckets
from streams.classify.model import Category, Event, Status

WEIGHTS_FILE = "status.npz"
CONFIG_FILE = "status.json"
LEARNED: tuple[Status, ...] = ("reported", "planned", "possible", "expected")  # the model's classes


def cue_names(category: Category, rule: Status) -> list[str]:
    """The named features of one event: its category, and the rules' status alone and per category."""
    return ["c:" + category, "rs:" + rule, f"rs:{category}:{rule}"]


@dataclass(frozen=True)
class StatusModel:
    weights: npt.NDArray[np.float32]  # (DIM, len(LEARNED))
    bias: npt.NDArray[np.float32]  # (len(LEARNED),)

    def logits(
        self, low: str, spans: Sequence[tuple[int, int]], names: Sequence[list[str]], tokens: Tokens | None
    ) -> npt.NDArray[np.float32]:
        """One row of class scores per event: words and bigrams at 1/sqrt(2 * tokens), cues at 1."""
        sizes, words, pairs = word_buckets(low, spans, tokens=tokens)
        assert pairs is not None  # bigrams are on
        # row gathers by take: 5-10x faster than fancy indexing on the (DIM, classes) weights
        text = _sums(self.weights.take(words, axis=0) + self.weights.take(pairs, axis=0), sizes)
        scale = 1.0 / np.sqrt(np.maximum(2.0 * np.asarray(sizes, dtype=np.float32), 1.0))
        counts, cols = cue_buckets(names)
        cues = _sums(self.weights.take(cols, axis=0), counts)
        out: npt.NDArray[np.float32] = text * scale[:, None] + cues + self.bias
        return out


def _sums(rows: npt.NDArray[np.float32], sizes: Sequence[int]) -> npt.NDArray[np.float32]:
    """The sums of consecutive runs of `rows`, `sizes` long each (a run may be empty): one cumulative
    sum, where np.add.at would cost a Python-level scatter per row."""
    ends = np.cumsum(np.asarray(sizes, dtype=np.int64))
    running = np.zeros((len(rows) + 1, rows.shape[1]), dtype=np.float32)
    np.cumsum(rows, axis=0, out=running[1:])
    out: npt.NDArray[np.float32] = running[ends] - running[ends - np.asarray(sizes, dtype=np.int64)]
    return out


def load() -> StatusModel | None:
    """The shipped status model, or None (the rules' status stands) when no weights are shipped."""
    data = files("streams.classify").joinpath("data")
    if not data.joinpath(WEIGHTS_FILE).is_file():
        return None
    with np.load(io.BytesIO(data.joinpath(WEIGHTS_FILE).read_bytes())) as npz:
        return from_arrays(npz["index"], npz["values"], npz["bias"])


def from_arrays(
    index: npt.NDArray[np.int64], values: npt.NDArray[np.float32], bias: npt.NDArray[np.float32]
) -> StatusModel:
    weights = np.zeros((DIM, len(LEARNED)), dtype=np.float32)
    weights[index] = values
    return StatusModel(weights, np.asarray(bias, dtype=np.float32))


MODEL = load()


def with_status(
    events: list[Event], low: str, model: StatusModel | None = MODEL, tokens: Tokens | None = None
) -> list[Event]:
    """The events with the model's status, denials kept; `low` is the article's normalised lowercased
    text, `tokens` its words as the detector hashed them (features.Tokens), when it did."""
    chosen = [i for i, e in enumerate(events) if e.status != "denied"]
    if model is None or not chosen:
        return events
    spans = [(events[i].evidence.start, events[i].evidence.end) for i in chosen]
    names = [cue_names(events[i].category, events[i].status) for i in chosen]
    best = model.logits(low, spans, names, tokens).argmax(axis=1)
    out = list(events)
    for i, k in zip(chosen, best.tolist(), strict=True):
        if out[i].status != LEARNED[k]:
            out[i] = replace(out[i], status=LEARNED[k])
    return out
