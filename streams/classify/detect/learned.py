"""The learned sentence detector: one logistic regression per category over features.py.

Weights are data (data/detector.npz, written by `sitrep train`, plain numeric arrays); the
combination with the rules and the calibration are data too (data/detector.json).
A category is kept when the model's probability reaches `keep`, or when a rule fired
and the probability reaches `veto`; the event's confidence is a Platt scaling of the
model's logit and whether a rule fired, fitted on the validation split.
Loaded once at import; inference is a few numpy operations per article.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib.resources import files

import numpy as np
import numpy.typing as npt

from streams.classify.detect import embedding
from streams.classify.detect.features import (
    DIM,
    Tokens,
    char_buckets,
    detector_buckets,
)
from streams.classify.model import CATEGORIES

# What forbids the model to add a category: only a casualty's own vetoes, a reporter's "no casualties"
# (neg_cas) and a death of another sense, an accident's or an insurer's (guard_cas). The rules' other
# vetoes fire on a word anywhere in the sentence ("no", "never", "refused", "route", "capital") and kept
# the model from 3% of the labelled deployments and supplies ("... may come with no warning", "has
# not pulled out"); it reads negation and sense from its own words and cues. Without them grouped CV
# rose 0.7737 -> 0.7803, every category in every fold (the rules keep their vetoes).
GUARDS: dict[str, frozenset[str]] = {
    "deployment": frozenset(),
    "supply": frozenset(),
    "casualty": frozenset({"neg_cas", "guard_cas"}),
    "forecast": frozenset(),
}
WEIGHTS_FILE = "detector.npz"
CONFIG_FILE = "detector.json"

Matrix = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Detector:
    weights: Matrix  # (DIM, categories)
    bias: Matrix  # (categories,)
    keep: tuple[float, ...]  # the model alone adds the category at this probability
    veto: tuple[float, ...]  # a rule's category stands only from this probability
    platt: tuple[tuple[float, float, float], ...]  # (a, b, c): sigmoid(a*logit + b*rule + c)
    chars: bool = True
    words: bool = True
    bigrams: bool = True
    previous: bool = True
    context: float = 0.0  # the weight of the sentence before's words (0: not read)
    prefixes: int = 0  # the k-letter prefixes of longer words, a block of their own (0: none)
    rule_cues: bool = True
    use_rules: bool = True  # False: the model alone decides (the ablation's "model alone")
    dense: Matrix | None = None  # (embedding block, categories): weights of the sentence embeddings
    embed: float = 0.0  # the scale of the sentence's embedding (0: none; embedding.py)
    embed_context: float = 0.0  # the scale of the sentence before's embedding (0: not read)

    @cached_property
    def keep_logit(self) -> tuple[float, ...]:
        """`keep` as log-odds: the verdict compares logits, no exp per sentence."""
        return tuple(_log_odds(p) for p in self.keep)

    @cached_property
    def veto_logit(self) -> tuple[float, ...]:
        return tuple(_log_odds(p) for p in self.veto)

    @cached_property
    def lowest_keep(self) -> float:
        return min(self.keep_logit)

    def logits(
        self,
        low: str,
        spans: Sequence[tuple[int, int]],
        cues: Sequence[Sequence[str]],
        before: Sequence[tuple[int, int]] = (),
        *,
        tokens: Tokens | None = None,
    ) -> Matrix:
        """(sentences, categories) log-odds for the sentences `spans` of the lowercased text.

        `before` holds the span of the sentence before each one (empty when none). The sparse
        product of features.featurize, summed per sentence from running sums of the weight rows of
        every block (words and bigrams, prefixes, words before, cues, character n-grams), each at
        featurize's scale (below). `tokens`: the article's shared hashes (features.Tokens), so scope
        reads the same words without hashing them again.
        """
        if not spans:
            return np.empty((0, len(CATEGORIES)), dtype=np.float32)
        blocks = detector_buckets(
            tokens or Tokens(low),
            spans,
            before if self.context else (),
            cues,
            prefixes=self.prefixes,
        )
        cols, char_sizes = blocks.cols, None
        if self.chars:
            char_sizes, char_cols = char_buckets(low, spans)
            cols = np.concatenate((cols, char_cols))
        rows = self.weights.take(cols, axis=0)  # a row gather: 5-10x faster than fancy indexing
        nw = sum(blocks.words)
        parts: list[tuple[Matrix, list[int]]] = []
        if self.words:  # each word's bucket, and its bigram's unless bigrams are off (the ablation's row)
            parts.append((rows[:nw] + rows[nw : 2 * nw] if self.bigrams else rows[:nw], blocks.words))
        at = 2 * nw
        for sizes in (blocks.prefixes, blocks.context, blocks.cues, char_sizes):
            if sizes is not None:
                size = sum(sizes)
                parts.append((rows[at : at + size], sizes))
                at += size
        sums = iter(_per_sentence_blocks(parts))
        # a sentence's words at 1/sqrt(2 * tokens), its prefixes at 1/sqrt(prefixes), the words before at
        # context/sqrt(tokens), its cues at 1, its character n-grams at 1/sqrt(n-grams): featurize's scales
        scales = [(2 if self.bigrams else 1) * size for size in blocks.words] if self.words else []
        scales += [*(blocks.prefixes or ()), *(blocks.context or ()), *(char_sizes or ())]
        norms = iter(np.sqrt(np.maximum(np.asarray(scales, dtype=np.float32), 1.0)).reshape(-1, len(spans)))
        out = np.repeat(self.bias[None, :], len(spans), axis=0)
        if self.words:
            out += next(sums) / next(norms)[:, None]
        if blocks.prefixes is not None:
            out += next(sums) / next(norms)[:, None]
        if blocks.context is not None:
            out += next(sums) * np.float32(self.context) / next(norms)[:, None]
        if blocks.cues is not None:
            out += next(sums)
        if char_sizes is not None:
            out += next(sums) / next(norms)[:, None]
        return out

    def embedded(
        self, text: str, spans: Sequence[tuple[int, int]], before: Sequence[tuple[int, int]]
    ) -> Matrix:
        """The sentence embeddings' part of the log-odds, added to `logits` (zeros without embeddings).

        `text`: the article's cased text (the same offsets as `low`); one embedding batch per article.
        """
        if self.dense is None:
            return np.zeros((len(spans), len(CATEGORIES)), dtype=np.float32)
        block = embedding.embedder().block(text, spans, before, self.embed, self.embed_context)
        out: Matrix = block @ self.dense
        return out

    def confidence(self, j: int, logit: float, rule: bool) -> float:
        a, b, c = self.platt[j]
        return round(probability(a * logit + b * float(rule) + c), 3)


def _per_sentence_blocks(parts: Sequence[tuple[Matrix, Sequence[int]]]) -> list[Matrix]:
    """_per_sentence of each (rows, sizes) block: one buffer of running sums, one gather for all blocks.

    Each block's running sum starts from its own zero row, so every sum is _per_sentence's to the bit.
    """
    total = sum(len(rows) + 1 for rows, _ in parts)
    running = np.zeros((total, len(CATEGORIES)), dtype=np.float32)
    lows: list[int] = []
    highs: list[int] = []
    base = 0
    for rows, sizes in parts:
        np.cumsum(rows, axis=0, out=running[base + 1 : base + 1 + len(rows)])
        at = base
        for size in sizes:
            lows.append(at)
            at += size
            highs.append(at)
        base += len(rows) + 1
    sums: Matrix = running[highs] - running[lows]
    n = len(parts[0][1]) if parts else 0
    return [sums[i * n : (i + 1) * n] for i in range(len(parts))]


def _per_sentence(rows: Matrix, sizes: Sequence[int]) -> Matrix:
    """Sums of consecutive runs of `rows`, `sizes[i]` rows for sentence i (runs may be empty)."""
    return _per_sentence_blocks([(rows, sizes)])[0]


def _log_odds(p: float) -> float:
    if p <= 0.0:
        return -math.inf
    return math.inf if p >= 1.0 else math.log(p / (1.0 - p))


def guarded(tags: frozenset[str]) -> tuple[bool, ...]:
    """Per category, whether the vetoes of GUARDS forbid the model to add it."""
    return tuple(bool(tags & GUARDS[c]) for c in CATEGORIES)


def probability(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-logit))


def from_arrays(
    index: npt.NDArray[np.int64],
    values: Matrix,
    bias: Matrix,
    config: dict[str, object],
    dense: Matrix | None = None,
) -> Detector:
    """A detector from the sparse rows of its weights, its embeddings' weights and its configuration."""
    weights = np.zeros((DIM, len(CATEGORIES)), dtype=np.float32)
    weights[index] = values
    combine: dict[str, list[float]] = config["combine"]  # type: ignore[assignment]
    platt: list[list[float]] = config["platt"]  # type: ignore[assignment]
    feats: dict[str, bool] = config["features"]  # type: ignore[assignment]
    return Detector(
        weights=weights,
        bias=bias.astype(np.float32),
        keep=tuple(float(x) for x in combine["keep"]),
        veto=tuple(float(x) for x in combine["veto"]),
        platt=tuple((float(a), float(b), float(c)) for a, b, c in platt),
        chars=bool(feats["chars"]),
        words=bool(feats["words"]),
        bigrams=bool(feats.get("bigrams", True)),
        previous=bool(feats["previous"]),
        context=float(feats.get("context", 0.0)),
        prefixes=int(feats.get("prefixes", 0)),
        rule_cues=bool(feats.get("rule_cues", True)),
        dense=None if dense is None else dense.astype(np.float32),
        embed=float(feats.get("embed", 0.0)),
        embed_context=float(feats.get("embed_context", 0.0)),
    )


def load() -> Detector | None:
    """The shipped detector, or None (rules alone) when no weights are shipped."""
    data = files("streams.classify").joinpath("data")
    if not data.joinpath(WEIGHTS_FILE).is_file():
        return None
    config = json.loads(data.joinpath(CONFIG_FILE).read_text(encoding="utf-8"))
    # np.load refuses object arrays by default: the weights are plain numbers
    with np.load(io.BytesIO(data.joinpath(WEIGHTS_FILE).read_bytes())) as npz:
        dense = npz["dense"] if "dense" in npz.files else None
        detector = from_arrays(npz["index"], npz["values"], npz["bias"], config, dense)
    if detector.dense is not None:
        embedding.embedder()  # load the embeddings now, or say they are missing, not at the first article
    return detector


DETECTOR = load()
