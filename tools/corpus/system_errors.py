"""Missed and spurious systems of matched events, on the training theatres only, grouped by cause (issue 13).

    .venv/bin/python tools/corpus/system_errors.py             # the cause table
    .venv/bin/python tools/corpus/system_errors.py --list CAUSE  # the items of one cause

Matching is evaluation.score_item's (category and evidence overlap); the test and validation theatres
(corpus/splits.json) are never read here, so their errors stay unseen. Each error gets the first cause
that fits, in the order of `_missed_cause` and `_spurious_cause`.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from streams.classify.extract.systems import system_mentions  # noqa: E402
from streams.classify.pipeline import classify  # noqa: E402
from streams.classify.text.gazetteer import load  # noqa: E402
from streams.evaluation import label_units, matches  # noqa: E402
from streams.learn.data import default_shared  # noqa: E402
from streams.learn.data import load as load_items  # noqa: E402

_DATA = load("systems.json")
_CANONICALS = frozenset(n["canonical"] for n in _DATA["named"])
_CLASSES = frozenset(_DATA["heads"].values()) | frozenset(_DATA["conventions"]["type_words"].values())
_DESIGNATION = re.compile(r"[a-z]*-?\d")


def _words(name: str) -> set[str]:
    return set(name.replace("-", " ").split())


def _stem(word: str) -> str:
    return re.sub(r"(?:es|s)$", "", word)


def _related(a: str, b: str) -> str | None:
    """How two names of one system differ: a class for a name, a name for a class, or another form."""
    if a.endswith(" " + b):
        return "granularity: the bare class where the label names the model"
    if b.endswith(" " + a):
        return "granularity: the model where the label keeps the class"
    if _words(a) & _words(b) - _CLASSES - {"system"}:
        return "wrong canonical form (another class or designation)"
    return None


def _missed_cause(want: str, sentence: str, got: set[str], extracted: set[str]) -> str:
    low = sentence.lower()
    first = want.split(maxsplit=1)[0]
    if want in extracted:
        return "system of another event (found, not given to this one)"
    for g in sorted(got | extracted):
        if how := _related(want, g):
            return how
    if want in _CANONICALS:
        return "known name written another way (plural, spelling, variant code)"
    named = _DESIGNATION.match(first) or (first not in _CLASSES and want not in _CLASSES and " " in want)
    if named and first.replace("-", " ") not in low.replace("-", " "):
        return "label wording not in the sentence (paraphrase, anaphora)"
    if named:
        return "name not in the gazetteer"
    if _stem(want.rsplit(maxsplit=1)[-1]) not in low:
        return "generic wording not recognised (synonym)"
    return "generic type phrase not recognised"


def _spurious_cause(name: str, others: set[str], wants: set[str], sentence: str) -> str:
    if name in others:
        return "system of another event in the sentence"
    for w in sorted(wants):
        if how := _related(w, name):
            return how
    if " " not in name or name in _CLASSES:
        return "bare class the labels leave out"
    return "named or classed system the labels leave out"


def errors(corpus: Path) -> Iterator[tuple[str, str, str, str]]:
    """(kind, cause, system, where) for each missed or spurious system of a matched training event."""
    for item in load_items(corpus, default_shared(corpus)):
        if item.split != "train":
            continue
        preds = classify(item.body, item.published_at)
        units, _ = label_units(item.body, item.events)
        for (start, end, category), gold in units.items():
            hits = matches(preds, (start, end, category))
            if not hits:
                continue
            hit = preds[hits[0]]
            sentence = item.body[start:end]
            want = {s.strip().lower() for s in gold.get("systems") or []}
            got = {s.lower() for s in hit.systems}
            others = {
                s.lower()
                for (s0, _, c), g in units.items()
                if s0 == start and c != category
                for s in g.get("systems") or []
            } - want
            extracted = {canon for _, _, canon, _ in system_mentions(sentence)}
            where = f"{item.id} [{category}] want={sorted(want)} got={sorted(got)} | {sentence[:160]}"
            for name in sorted(want - got):
                yield "missed", _missed_cause(name, sentence, got, extracted), name, where
            for name in sorted(got - want):
                yield "spurious", _spurious_cause(name, others, want, sentence), name, where


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--list", metavar="CAUSE", help="print the errors whose cause starts with CAUSE")
    parser.add_argument("--top", type=int, default=12, help="systems shown per cause (default 12)")
    args = parser.parse_args(argv)
    by_cause: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    listed = []
    for kind, cause, name, where in errors(args.corpus):
        by_cause[kind, cause][name] += 1
        if args.list and cause.startswith(args.list):
            listed.append(f"{kind} {name!r}: {where}")
    if args.list:
        print("\n".join(listed))
        return 0
    print(f"{'kind':<9}{'count':>6}  cause: most frequent systems")
    for (kind, cause), names in sorted(by_cause.items(), key=lambda kv: (kv[0][0], -sum(kv[1].values()))):
        top = ", ".join(f"{n} ({c})" for n, c in names.most_common(args.top))
        print(f"{kind:<9}{sum(names.values()):>6}  {cause}: {top}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
