"""Wrong counterparts of matched events, on the training theatres only, grouped by cause (issue 13).

    .venv/bin/python tools/corpus/counterpart_errors.py                 # the cause table per category
    .venv/bin/python tools/corpus/counterpart_errors.py --list CAUSE    # the items of one cause
    .venv/bin/python tools/corpus/counterpart_errors.py --split validation --score   # a split's accuracy only

Matching is evaluation.score_item's (category and evidence overlap). Errors are read only on the
training theatres; --score prints another split's accuracy without its errors. Each error gets the first
cause that fits: (d) the label's party is not among the gazetteer's mentions of the sentence, (a) none
predicted, (b) one predicted where the label has none, (c) another party (the actor, the attribution's,
or another one the sentence names).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from streams.classify.extract.parties import mentions  # noqa: E402
from streams.classify.extract.sources import attribution_spans  # noqa: E402
from streams.classify.pipeline import classify  # noqa: E402
from streams.evaluation import label_units, matches  # noqa: E402
from streams.learn.data import default_shared  # noqa: E402
from streams.learn.data import load as load_items  # noqa: E402


def _norm(value: Any) -> str | None:
    return value.strip().lower() if isinstance(value, str) and value.strip() else None


def _cause(want: str | None, got: str | None, actor: str | None, sentence: str) -> str:
    found = mentions(sentence)
    named = {m.party.lower() for m in found if m.party} | {m.country.lower() for m in found if m.country}
    if want is not None and want not in named:
        return "d: label's party not found in the sentence (description, alias, implicit)"
    if got is None:
        return "a: predicted null, label names a party"
    if want is None:
        return "b: predicted a party, label null"
    if got == _norm(actor):
        return "c: wrong party, the actor's (swapped?)"
    spans = attribution_spans(sentence)
    if any(m.party and m.party.lower() == got and any(s <= m.start < e for s, e in spans) for m in found):
        return "c: wrong party, the attribution's"
    return "c: wrong party, another the sentence names"


def errors(corpus: Path, split: str) -> Iterator[tuple[str, str | None, str, str]]:
    """(category, cause or None when right, where, gold actor) for each matched event of `split`."""
    for item in load_items(corpus, default_shared(corpus)):
        if item.split != split:
            continue
        preds = classify(item.body, item.published_at)
        units, _ = label_units(item.body, item.events)
        for (start, end, category), gold in units.items():
            hits = matches(preds, (start, end, category))
            if not hits:
                continue
            hit = preds[hits[0]]
            want, got = _norm(gold.get("counterpart")), _norm(hit.counterpart)
            if want == got:
                yield category, None, "", ""
                continue
            sentence = item.body[start:end]
            where = (
                f"{item.id} [{category}] actor={hit.actor!r}/{gold.get('actor')!r} "
                f"want={gold.get('counterpart')!r} got={hit.counterpart!r} | {sentence[:220]}"
            )
            yield category, _cause(want, got, hit.actor, sentence), where, ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--split", choices=("train", "validation"), default="train")
    parser.add_argument("--score", action="store_true", help="print the accuracy per category only")
    parser.add_argument("--list", metavar="CAUSE", help="print the errors whose cause starts with CAUSE")
    args = parser.parse_args(argv)
    causes: Counter[tuple[str, str]] = Counter()
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    listed = []
    for category, cause, where, _ in errors(args.corpus, args.split):
        total[category] += 1
        if cause is None:
            right[category] += 1
            continue
        causes[category, cause] += 1
        if args.list and cause.startswith(args.list):
            listed.append(f"{cause[:1]} {where}")
    all_right, all_total = sum(right.values()), sum(total.values())
    print(f"{args.split}: counterpart {all_right / max(all_total, 1):.3f} over {all_total} matched")
    for category in sorted(total):
        print(f"  {category:<11}{right[category] / total[category]:.3f} over {total[category]}")
    if args.split != "train" or args.score:
        return 0
    if args.list:
        print("\n".join(listed))
        return 0
    for (category, cause), count in sorted(causes.items(), key=lambda kv: (kv[0][0], -kv[1])):
        print(f"{category:<11}{count:>5}  {cause}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
