"""Scope errors on casualty units, out of fold over the training theatres, grouped by cause (issue 16).

    .venv/bin/python tools/corpus/scope_errors.py                 # the cause table (C=16)
    .venv/bin/python tools/corpus/scope_errors.py --least 100     # tolls the mass-casualties alert reads
    .venv/bin/python tools/corpus/scope_errors.py --list CAUSE    # the sentences of one cause

Each unit of the train and validation splits is read by the scope model fitted on the other folds of
theatres (streams.learn.scope.out_of_fold), so no error comes from a model that saw its theatre; the
test split is never read. An error gets the first cause of `CAUSES` whose pattern its sentence matches.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from streams.classify.detect.scope import sentence_cues  # noqa: E402
from streams.learn.data import default_shared, load  # noqa: E402
from streams.learn.scope import out_of_fold, scores, tolls  # noqa: E402

_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
# (cause, pattern over the lowercased sentence); the first that matches names the error
CAUSES: list[tuple[str, re.Pattern[str]]] = [
    (
        "remain/still about the wounded or missing",
        re.compile(
            r"\b(?:remain\w*|still)\b[^.;]{0,40}\b(?:hospital\w*|missing|wounded|injured|critical|unaccounted)"
        ),
    ),
    ("toll rose / reached", re.compile(r"\b(?:rose|risen|climbed|reached|stands?|stood|brings?|brought)\b")),
    ("in which / during which", re.compile(r"\b(?:in|during) which\b")),
    ("a dated day", re.compile(rf"\b{_MONTH} \d{{1,2}}\b|\b\d{{1,2}} {_MONTH}\b")),
    (
        "a year range or a war of a year",
        re.compile(r"\b(?:19|20)\d\d ?(?:-|\u2013|to|and) ?(?:19|20)?\d\d\b|\bthe (?:19|20)\d\d\b"),
    ),
    (
        "since / so far / a total",
        re.compile(r"\bsince\b|\bso far\b|\bto date\b|\btotal\b|\bin all\b|\boverall\b"),
    ),
    (
        "a past period (last year, over months)",
        re.compile(
            r"\b(?:past|last|previous) (?:\w+ )?(?:year|months?|weeks?|decade)"
            r"|\bover (?:the )?(?:\w+ )?(?:months|years)\b"
        ),
    ),
    ("a month or a year named", re.compile(rf"\b{_MONTH}\b|\b(?:19|20)\d\d\b")),
    (
        "a weekday or today",
        re.compile(
            r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|overnight)\b"
        ),
    ),
]


def cause(sentence_low: str) -> str:
    for name, pattern in CAUSES:
        if pattern.search(sentence_low):
            return name
    return "none of these (words only)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--c", type=float, default=16.0, help="the model's C (the shipped one: 16)")
    parser.add_argument("--least", type=float, default=0.0, help="only tolls of at least this quantity")
    parser.add_argument("--list", metavar="CAUSE", help="print the sentences of the causes containing this")
    args = parser.parse_args()
    corpus = ROOT / "corpus"
    every, got = out_of_fold(load(corpus, default_shared(corpus)), args.c)
    mask = tolls(every, args.least)
    score = scores(got[mask], every.cumulative[mask])
    print(f"casualty units (quantity >= {args.least:g}): {int(mask.sum())}; {score}")
    table: dict[str, Counter[str]] = defaultdict(Counter)
    listed: list[str] = []
    for i in map(int, mask.nonzero()[0]):
        if got[i] == every.cumulative[i]:
            continue
        s, e = every.spans[i]
        low = every.low[i][s:e]
        kind = "read cumulative, labelled incident" if got[i] else "read incident, labelled cumulative"
        why = cause(low)
        table[kind][why] += 1
        if args.list and args.list.lower() in why:
            cues = " ".join(n[3:] for n in sentence_cues(low))
            listed.append(f"[{every.theatres[i]}] {kind[:15]} q={every.quantities[i]} cues={cues}\n    {low}")
    for kind, counts in sorted(table.items()):
        print(f"{kind}: {sum(counts.values())}")
        for why, n in counts.most_common():
            print(f"  {n:4d}  {why}")
    print("\n".join(listed))


if __name__ == "__main__":
    main()
