"""The contextual encoder gated on the sentences the shipped detector is unsure of: measured, not shipped.

The shipped detector scores every candidate; only where some category's logit lies within a band of the
threshold that decides it does the words + MiniLM detector (streams/learn/encoder.py) decide. The
results and the decision are in MODEL_CARD.md, "Contextual encoder".
Run: python -m streams.learn.gated [--corpus corpus] BAND [BAND ...]
"""

from __future__ import annotations

import argparse
import functools
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from streams.classify.detect.embedding import Matrix
from streams.classify.detect.features import Tokens
from streams.classify.detect.learned import Detector
from streams.classify.model import CATEGORIES
from streams.learn.data import Item, default_shared, load
from streams.learn.encoder import (
    CACHE,
    EncoderMissingError,
    MiniLM,
    best_cpu_seconds,
    installed,
    load_encoder,
    wheel_dir,
)
from streams.learn.train import Settings


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
    systems += [(f"gated, band {band:g}", functools.partial(Gated.of, band=band)) for band in bands]
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


def gated_cost(items: list[Item], run: GatedRun, bands: Sequence[float], shared: Path) -> list[str]:
    """CPU per article of classify() with the shipped detector and with the gate (encoding from scratch)."""
    from streams.classify.pipeline import classify

    encoder = load_encoder(cache=None)
    seed = (shared / "seed-article.txt").read_text(encoding="utf-8")
    articles = [i.body for i in items if i.kind == "articles"]

    def cpu(detector: Detector, bodies: Sequence[str], rounds: int) -> float:
        def run() -> None:
            for body in bodies:
                encoder.cache.clear()
                classify(body, detector=detector)

        return best_cpu_seconds(run, rounds) / len(bodies)

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
        "bands", type=float, nargs="+", help="bands to measure (log-odds; inf: every candidate)"
    )
    args = parser.parse_args(argv)
    try:
        wheel_dir()
    except EncoderMissingError as e:
        print(e, file=sys.stderr)
        return 2
    items = load(args.corpus, default_shared(args.corpus))
    encoder = load_encoder()
    run = fit_gated(items, encoder)
    lines = [*band_grid(run), "", *gated_table(items, run, args.bands, encoder)]
    lines += ["", *gated_cost(items, run, args.bands, default_shared(args.corpus))]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
