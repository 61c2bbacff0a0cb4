"""The ablation of issue 13: rules alone, model alone, union, combined; feature sets; validation and test.

Each row trains on the train split and picks its thresholds on validation, as `sitrep train` does;
test is scored, never inspected. Run: python -m streams.learn.ablation [--corpus corpus]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from streams.learn.data import Item, default_shared, load
from streams.learn.embeddings import embedder
from streams.learn.measure import score
from streams.learn.train import Settings, train

ROWS: tuple[tuple[str, str, Settings], ...] = (
    ("model alone (word n-grams, rule cues)", "model", Settings()),
    ("model alone, no rule cues", "model", Settings(rule_cues=False)),
    ("union: rules or model", "union", Settings()),
    ("combined: union + model veto on rules (shipped)", "combined", Settings()),
    ("combined, no word prefixes", "combined", Settings(prefixes=0)),
    ("combined, thresholds on validation alone", "combined", Settings(folds=0)),
    ("combined, not reading the sentence before", "combined", Settings(context=0.0)),
    ("combined, neither (the previous detector)", "combined", Settings(context=0.0, folds=0)),
    ("combined, the sentence before's words at weight 1", "combined", Settings(context=1.0)),
    ("combined, with char 3-5-grams", "combined", Settings(chars=True)),
    ("combined, no word n-grams (cues only)", "combined", Settings(words=False)),
    ("combined, word unigrams only", "combined", Settings(bigrams=False)),
    ("combined, + the previous sentence's cues", "combined", Settings(previous=True)),
    ("combined, no rule cues", "combined", Settings(rule_cues=False)),
    ("combined, C=1", "combined", Settings(c=1.0)),
    ("combined, C=4", "combined", Settings(c=4.0)),
)


def table(items: list[Item], rows: tuple[tuple[str, str, Settings], ...] = ROWS) -> list[str]:
    val = [i for i in items if i.split == "validation"]
    test = [i for i in items if i.split == "test"]
    lines = [
        "| system | validation macro-F1 | test macro-F1 | test dep / sup / cas / fc |",
        "|---|---|---|---|",
    ]

    def line(name: str, detector: object) -> None:
        v = score(val, "validation", detector).report  # type: ignore[arg-type]
        t = score(test, "test", detector).report  # type: ignore[arg-type]
        cats = " / ".join(f"{s.f1:.2f}" for s in t.categories.values())
        lines.append(f"| {name} | {v.macro_f1:.3f} | {t.macro_f1:.3f} | {cats} |")
        print(lines[-1], file=sys.stderr)

    line("rules alone", None)
    for name, mode, settings in rows:
        detector, _ = train(items, settings, mode)
        line(name, detector)
    embed = embedder()
    if embed is None:
        lines.append("| with wordllama embeddings | (wordllama not installed) | | |")
        return lines
    for name, mode, settings in (
        ("model alone + wordllama embeddings", "model", Settings()),
        ("combined + wordllama embeddings", "combined", Settings()),
        ("combined, embeddings and cues, no word n-grams", "combined", Settings(words=False)),
    ):
        detector, _ = train(items, settings, mode, extra=embed)
        line(name, detector)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    args = parser.parse_args(argv)
    print("\n".join(table(load(args.corpus, default_shared(args.corpus)))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
