"""`sitrep train`: rebuild the detector's weights from corpus/ and ../shared/data, deterministically.

Fit on the train split (the corpus' train theatres and the shared dev sets), then on the
validation split choose each category's thresholds (`keep`: the model alone adds it; `veto`: a
rule's event needs at least this probability) and fit the Platt scaling of the confidence.
The test split is never read here. Same input, byte-identical files.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

from streams.classify.detect.embedding import embedder
from streams.classify.detect.features import DIM, featurize
from streams.classify.detect.learned import CONFIG_FILE, WEIGHTS_FILE, Detector, from_arrays, guarded
from streams.classify.model import CATEGORIES
from streams.classify.pipeline import cues, prepare
from streams.evaluation import overlaps
from streams.learn.data import Item, default_shared, load, theatre_folds
from streams.learn.npz import deterministic_npz

DATA_DIR = Path(__file__).resolve().parents[1] / "classify" / "data"
KEEP_GRID = (*(round(0.05 * i, 2) for i in range(6, 20)), 1.01)  # 1.01: the model never adds alone
VETO_GRID = (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4)


@dataclass(frozen=True)
class Settings:
    """What the ablation varies; the shipped detector uses the defaults."""

    c: float = 16.0  # on the whole corpus's validation: 0.740 at C=1, 0.755 at 4, 0.771 at 16, 0.773 at 32
    chars: bool = True  # char 3-5-grams, in place of the prefixes: grouped CV 0.787 -> 0.795 (MODEL_CARD.md)
    words: bool = True
    bigrams: bool = True
    rule_cues: bool = True
    previous: bool = False  # the previous sentence's cues: 0.757 without, 0.750 with on validation
    context: float = 0.5  # the sentence before's words (MODEL_CARD.md, ablation); 0: not read
    prefixes: int = 0  # k-letter word prefixes (4: CV 0.750 -> 0.755 once); the char n-grams subsume them
    folds: int = 5  # thresholds on validation and the train split's out-of-fold logits; 0: validation alone
    embed: float = 0.0  # the scale of the sentence's wordllama embedding, a dense block (0: none)
    embed_context: float = 0.0  # the scale of the sentence before's embedding (0: not read)


@dataclass
class Rows:
    """The candidate sentences of some items: features, labels, the rules' verdicts."""

    x: Any  # scipy CSR (rows, DIM)
    y: npt.NDArray[np.bool_]  # (rows, categories)
    rules: npt.NDArray[np.bool_]
    guarded: npt.NDArray[np.bool_]  # the rules' vetoes: the model may not add these
    denied: npt.NDArray[np.bool_]  # a rule found a denial: the model does not veto it
    missed: npt.NDArray[np.int64]  # labelled units no candidate covers (always missed), per category
    theatres: npt.NDArray[np.str_]  # each candidate's theatre (the folds of the thresholds)


def rows(items: Sequence[Item], settings: Settings) -> Rows:
    """Features and labels of every candidate sentence of `items` (the pipeline's own candidates)."""
    r_all: list[npt.NDArray[np.int64]] = []
    c_all: list[npt.NDArray[np.int64]] = []
    v_all: list[npt.NDArray[np.float32]] = []
    ys: list[list[bool]] = []
    rules: list[list[bool]] = []
    guards: list[tuple[bool, ...]] = []
    denials: list[list[bool]] = []
    theatres: list[str] = []
    dense: list[npt.NDArray[np.float32]] = []
    missed = np.zeros(len(CATEGORIES), dtype=np.int64)
    offset = 0
    for item in items:
        prepared = prepare(item.body)
        cands = prepared.candidates
        units = set()
        for e in item.events:
            start = item.body.find(e["sentence"])
            if start >= 0 and e["category"] in CATEGORIES:
                units.add((start, start + len(e["sentence"]), e["category"]))
        covered = set()
        for cand in cands:
            span = (cand.start, cand.end)
            labels = {u for u in units if overlaps(span, (u[0], u[1]))}
            covered |= labels
            ys.append([any(u[2] == c for u in labels) for c in CATEGORIES])
            fired = {c for c, _, _ in cand.found}
            rules.append([c in fired for c in CATEGORIES])
            guards.append(guarded(cand.tags))
            denials.append([any(c == x and s == "denied" for x, s, _ in cand.found) for c in CATEGORIES])
        for u in units - covered:
            missed[CATEGORIES.index(u[2])] += 1
        theatres += [item.theatre] * len(cands)
        names = cues(cands, settings.previous) if settings.rule_cues else [[] for _ in cands]
        spans = [(x.start, x.end) for x in cands]
        if settings.embed:
            dense.append(
                embedder().block(
                    prepared.text, spans, prepared.before(), settings.embed, settings.embed_context
                )
            )
        r, c, v = featurize(
            prepared.low,
            spans,
            names,
            chars=settings.chars,
            words=settings.words,
            bigrams=settings.bigrams,
            before=prepared.before(),
            context=settings.context,
            prefixes=settings.prefixes,
        )
        r_all.append(r + offset)
        c_all.append(c)
        v_all.append(v)
        offset += len(cands)
    x = sparse.csr_matrix(
        (np.concatenate(v_all).astype(np.float64), (np.concatenate(r_all), np.concatenate(c_all))),
        shape=(offset, DIM),
    )
    x.sum_duplicates()
    if dense:
        x = sparse.hstack([x, sparse.csr_matrix(np.vstack(dense).astype(np.float64))]).tocsr()

    def matrix(values: list[Any]) -> npt.NDArray[np.bool_]:
        return np.asarray(values, dtype=bool).reshape(-1, len(CATEGORIES))

    return Rows(
        x,
        matrix(ys),
        matrix(rules),
        matrix(guards),
        matrix(denials),
        missed,
        np.asarray(theatres, dtype=np.str_),
    )


def _joined(a: Rows, b: Rows) -> Rows:
    """The rows of a, then b (for choosing thresholds on both)."""
    return Rows(
        sparse.vstack([a.x, b.x]).tocsr(),
        np.concatenate((a.y, b.y)),
        np.concatenate((a.rules, b.rules)),
        np.concatenate((a.guarded, b.guarded)),
        np.concatenate((a.denied, b.denied)),
        a.missed + b.missed,
        np.concatenate((a.theatres, b.theatres)),
    )


def out_of_fold(train_rows: Rows, c: float, k: int) -> Any:
    """Logits of every train row from a model fitted without its theatre (data.theatre_folds)."""
    out = np.zeros((train_rows.x.shape[0], len(CATEGORIES)), dtype=np.float64)
    for theatres in theatre_folds(train_rows.theatres.tolist(), k):
        held = np.isin(train_rows.theatres, theatres)
        weights, bias = _fit(train_rows.x[~held], train_rows.y[~held], c)
        out[held] = np.asarray(train_rows.x[held] @ weights, dtype=np.float64) + bias
    return out


def fit(train: Rows, c: float) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """One L2 logistic regression per category: (features, categories) weights and the biases.

    Rows DIM onwards, when there are any, are the embeddings' weights (`with_weights`).
    """
    return _fit(train.x, train.y, c)


def with_weights(
    detector: Detector, weights: npt.NDArray[np.float32], bias: npt.NDArray[np.float32]
) -> Detector:
    """`detector` with fitted weights: hashed buckets first, then the embeddings' block, if any."""
    return replace(
        detector, weights=weights[:DIM], bias=bias, dense=weights[DIM:] if len(weights) > DIM else None
    )


Fitted = tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]


def _fit(x: Any, y: npt.NDArray[np.bool_], c: float) -> Fitted:
    weights = np.zeros((x.shape[1], len(CATEGORIES)), dtype=np.float32)
    bias = np.zeros(len(CATEGORIES), dtype=np.float32)
    for j in range(len(CATEGORIES)):
        model = LogisticRegression(C=c, solver="liblinear", random_state=0, max_iter=1000, tol=1e-6)
        model.fit(x, y[:, j])
        weights[:, j] = model.coef_[0].astype(np.float32)
        bias[j] = np.float32(model.intercept_[0])
    # Stored in half precision (the file stays small); use exactly what is stored.
    return weights.astype(np.float16).astype(np.float32), bias


def logits(rows_: Rows, weights: npt.NDArray[np.float32], bias: npt.NDArray[np.float32]) -> Any:
    return np.asarray(rows_.x @ weights, dtype=np.float64) + bias


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def decide(rows_: Rows, j: int, p: Any, keep: float, veto: float, *, use_rules: bool = True) -> Any:
    """The pipeline's verdict (pipeline._decide) for category j over many rows."""
    if not use_rules:
        return p >= keep
    rules = rows_.rules[:, j]
    return (rules & ((p >= veto) | rows_.denied[:, j])) | (~rules & ~rows_.guarded[:, j] & (p >= keep))


def choose(val: Rows, lg: Any, mode: str = "combined") -> tuple[list[float], list[float]]:
    """Per category, the (keep, veto) pair with the best F1 on validation (ties: fewer model-only events).

    mode "union" keeps every rule's event (veto 0); "model" ignores the rules' verdicts.
    """
    veto_grid = VETO_GRID if mode == "combined" else (0.0,)
    p = 1 / (1 + np.exp(-lg))
    keeps, vetoes = [], []
    for j in range(len(CATEGORIES)):
        best = (-1.0, 0.0, 0.0)
        for keep in reversed(KEEP_GRID):
            for veto in veto_grid:
                d = decide(val, j, p[:, j], keep, veto, use_rules=mode != "model")
                y = val.y[:, j]
                score = f1(int((d & y).sum()), int((d & ~y).sum()), int((~d & y).sum()) + int(val.missed[j]))
                if score > best[0] + 1e-9:
                    best = (score, keep, veto)
        keeps.append(best[1])
        vetoes.append(best[2])
    return keeps, vetoes


def platt(
    val: Rows, lg: Any, keeps: Sequence[float], vetoes: Sequence[float], *, use_rules: bool = True
) -> list[list[float]]:
    """Per category, sigmoid(a*logit + b*rule + c) fitted on the events validation would emit."""
    p = 1 / (1 + np.exp(-lg))
    out = []
    for j in range(len(CATEGORIES)):
        d = decide(val, j, p[:, j], keeps[j], vetoes[j], use_rules=use_rules)
        y = val.y[d, j]
        if y.all() or not y.any():  # nothing to fit: the raw probability, shrunk to the rate seen
            out.append([1.0, 0.0, 0.0])
            continue
        x = np.column_stack((lg[d, j], val.rules[d, j].astype(np.float64)))
        model = LogisticRegression(C=1.0, solver="lbfgs", max_iter=1000, tol=1e-8)
        model.fit(x, y)
        out.append(
            [
                round(float(model.coef_[0][0]), 6),
                round(float(model.coef_[0][1]), 6),
                round(float(model.intercept_[0]), 6),
            ]
        )
    return out


def train(
    items: Sequence[Item], settings: Settings, mode: str = "combined"
) -> tuple[Detector, dict[str, Any]]:
    """The detector (weights, thresholds, calibration) and its configuration, from train + validation."""
    train_rows = rows([i for i in items if i.split == "train"], settings)
    val_rows = rows([i for i in items if i.split == "validation"], settings)
    weights, bias = fit(train_rows, settings.c)
    lg = logits(val_rows, weights, bias)
    if settings.folds and len(set(train_rows.theatres.tolist())) >= settings.folds:
        # 523 validation items move a threshold by a sentence or two; the train split's out-of-fold
        # logits (theatres the model has not seen, as validation's) give ten times the evidence
        both = _joined(train_rows, val_rows)
        oof = out_of_fold(train_rows, settings.c, settings.folds)
        keeps, vetoes = choose(both, np.vstack((oof, lg)), mode)
    else:
        keeps, vetoes = choose(val_rows, lg, mode)
    config: dict[str, Any] = {
        "_doc": "The learned detector's settings (written by `sitrep train`; see MODEL_CARD.md).",
        "features": {
            "chars": settings.chars,
            "words": settings.words,
            "bigrams": settings.bigrams,
            "rule_cues": settings.rule_cues,
            "previous": settings.previous,
            "context": settings.context,
            "prefixes": settings.prefixes,
            # only when on: without embeddings the files stay as they were (the version with them)
            **({"embed": settings.embed, "embed_context": settings.embed_context} if settings.embed else {}),
        },
        "threshold_folds": settings.folds,
        "c": settings.c,
        "combine": {"keep": keeps, "veto": vetoes},
        "platt": platt(val_rows, lg, keeps, vetoes, use_rules=mode != "model"),
        "training": {
            "items": sum(1 for i in items if i.split == "train"),
            "sentences": int(train_rows.x.shape[0]),
            "positives": {c: int(train_rows.y[:, j].sum()) for j, c in enumerate(CATEGORIES)},
        },
    }
    index = np.flatnonzero(np.any(weights[:DIM] != 0, axis=1)).astype(np.int64)
    detector = from_arrays(index, weights[index], bias, config, weights[DIM:] if len(weights) > DIM else None)
    if mode == "model":
        detector = replace(detector, use_rules=False)
    return detector, config


def write(detector: Detector, config: dict[str, Any], out: Path) -> list[Path]:
    """Write the weights (sparse rows, half precision) and the configuration into `out`."""
    index = np.flatnonzero(np.any(detector.weights != 0, axis=1))
    weights = out / WEIGHTS_FILE
    weights.write_bytes(
        deterministic_npz(
            {
                "index": index.astype(np.int32),
                "values": detector.weights[index].astype(np.float16),
                "bias": detector.bias.astype(np.float32),
                **({} if detector.dense is None else {"dense": detector.dense.astype(np.float16)}),
            }
        )
    )
    conf = out / CONFIG_FILE
    conf.write_text(json.dumps(config, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return [weights, conf]


def run(args: argparse.Namespace) -> int:
    """`sitrep train`: write the weights and settings, print their paths."""
    items = load(args.corpus, args.shared or default_shared(args.corpus))
    detector, config = train(items, Settings())
    out: Path = args.out or DATA_DIR
    out.mkdir(parents=True, exist_ok=True)
    from streams.learn import actor, scope, status

    written = write(detector, config, out) + scope.write(*scope.train(items), out)
    written += status.write(*status.train(items, detector), out)
    for path in written + actor.write(*actor.train(items, detector), out):
        print(path)
    return 0
