"""The ablation of issue 13: rules alone, model alone, union, combined; feature sets; validation and test.

Each row trains on the train split and picks its thresholds on validation, as `sitrep train` does;
test is scored, never inspected. `--cv` adds grouped 5-fold cross-validation by theatre (the row's
thresholds, each fold's weights); `--only TEXT` runs the rows whose name contains TEXT.
Run: python -m streams.learn.ablation [--corpus corpus] [--cv] [--only TEXT]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

from streams.classify.detect.learned import Detector
from streams.learn.data import Item, default_shared, load
from streams.learn.measure import cross_validate, score
from streams.learn.train import Settings, train

ROWS: tuple[tuple[str, str, Settings], ...] = (
    ("model alone (word n-grams, rule cues)", "model", Settings()),
    ("model alone, no rule cues", "model", Settings(rule_cues=False)),
    ("union: rules or model", "union", Settings()),
    ("combined: union + model veto on rules (shipped)", "combined", Settings()),
    ("combined, + 4-letter word prefixes", "combined", Settings(prefixes=4)),
    ("combined, thresholds on validation alone", "combined", Settings(folds=0)),
    ("combined, not reading the sentence before", "combined", Settings(context=0.0)),
    ("combined, neither (the previous detector)", "combined", Settings(context=0.0, folds=0)),
    ("combined, the sentence before's words at weight 1", "combined", Settings(context=1.0)),
    (
        "combined, 4-letter prefixes, no char n-grams (before 2026-12-08)",
        "combined",
        Settings(chars=False, prefixes=4),
    ),
    ("combined, no word n-grams (cues only)", "combined", Settings(words=False)),
    ("combined, word unigrams only", "combined", Settings(bigrams=False)),
    ("combined, + the previous sentence's cues", "combined", Settings(previous=True)),
    ("combined, no rule cues", "combined", Settings(rule_cues=False)),
    ("combined, C=1", "combined", Settings(c=1.0)),
    ("combined, C=4", "combined", Settings(c=4.0)),
    ("combined + embeddings (wordllama) x1", "combined", Settings(embed=1.0)),
    (
        "combined + embeddings x1, the sentence before's x0.5",
        "combined",
        Settings(embed=1.0, embed_context=0.5),
    ),
    ("combined + embeddings x2", "combined", Settings(embed=2.0)),
    ("combined + embeddings x0.5", "combined", Settings(embed=0.5)),
    ("model alone + embeddings x1", "model", Settings(embed=1.0)),
    ("combined, embeddings x1 and cues, no word n-grams", "combined", Settings(embed=1.0, words=False)),
)


def table(
    items: list[Item], rows: tuple[tuple[str, str, Settings], ...] = ROWS, *, cv: bool = False, only: str = ""
) -> list[str]:
    val = [i for i in items if i.split == "validation"]
    test = [i for i in items if i.split == "test"]
    lines = [
        "| system | CV macro-F1 (dep / sup / cas / fc) | validation macro-F1 | test macro-F1 "
        "| test dep / sup / cas / fc |",
        "|---|---|---|---|---|",
    ]

    def line(name: str, detector: Detector | None, settings: Settings) -> None:
        v = score(val, "validation", detector).report
        t = score(test, "test", detector).report
        cats = " / ".join(f"{s.f1:.2f}" for s in t.categories.values())
        folds = ""
        if cv and detector is not None:
            results = [
                model.report for _, _, model in cross_validate(items, settings=settings, base=detector)
            ]
            mean = sum(r.macro_f1 for r in results) / len(results)
            per = [sum(r.categories[c].f1 for r in results) / len(results) for c in results[0].categories]
            folds = f"{mean:.3f} ({' / '.join(f'{x:.3f}' for x in per)})"
        lines.append(f"| {name} | {folds} | {v.macro_f1:.3f} | {t.macro_f1:.3f} | {cats} |")
        print(lines[-1], file=sys.stderr, flush=True)

    if not only:
        line("rules alone", None, Settings())
    for name, mode, settings in rows:
        if only and only not in name:
            continue
        if settings.embed and importlib.util.find_spec("wordllama") is None:
            lines.append(f"| {name} | (wordllama not installed: pip install wordllama 'click<8.4') | | | |")
            continue
        detector, _ = train(items, settings, mode)
        line(name, detector, settings)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--cv", action="store_true", help="add grouped 5-fold cross-validation by theatre")
    parser.add_argument("--only", default="", help="run only the rows whose name contains this")
    args = parser.parse_args(argv)
    items = load(args.corpus, default_shared(args.corpus))
    print("\n".join(table(items, cv=args.cv, only=args.only)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
