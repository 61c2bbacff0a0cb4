"""Count the corpus and write the figures of its datasheet, so that the datasheet never drifts from the data.

.venv/bin/python tools/corpus/datasheet.py           # rewrites the marked block of corpus/README.md
.venv/bin/python tools/corpus/datasheet.py --check   # exit 1 when the block is out of date (CI)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
README = CORPUS / "README.md"
START, END = "<!-- figures: tools/corpus/datasheet.py -->", "<!-- end of figures -->"
CATEGORIES = ("deployment", "supply", "casualty", "forecast")


@dataclass
class Tally:
    """What one theatre (or the whole corpus) holds."""

    sentences: int = 0
    negatives: int = 0
    articles: int = 0
    article_events: int = 0
    categories: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    scopes: Counter[str] = field(default_factory=Counter)
    years: Counter[int] = field(default_factory=Counter)
    pages: set[str] = field(default_factory=set)

    def add_events(self, events: list[dict[str, Any]]) -> None:
        for event in events:
            self.categories[event["category"]] += 1
            self.statuses[event["status"]] += 1
            self.scopes[event["scope"]] += 1


def _read(kind: str) -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for path in sorted((CORPUS / kind).glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


def tally() -> tuple[Tally, dict[str, Tally]]:
    total, theatres = Tally(), {}
    for item in _read("sentences"):
        for t in (total, theatres.setdefault(item["theatre"], Tally())):
            t.sentences += 1
            t.negatives += not item["events"]
            t.add_events(item["events"])
            t.years[item["year"]] += 1
            t.pages.add(item["based_on"])
    for item in _read("articles"):
        for t in (total, theatres.setdefault(item["theatre"], Tally())):
            t.articles += 1
            t.article_events += len({e["sentence"] for e in item["events"]})
            t.add_events(item["events"])
            t.pages.add(item["based_on"])
    return total, theatres


def _split_of() -> dict[str, str]:
    splits = json.loads((CORPUS / "splits.json").read_text(encoding="utf-8"))
    return {theatre: name for name in ("test", "validation") for theatre in splits[name]}


def figures() -> str:
    total, theatres = tally()
    split_of = _split_of()
    cats = ", ".join(f"{c} {total.categories[c]:,}" for c in CATEGORIES)
    statuses = ", ".join(f"{s} {n:,}" for s, n in total.statuses.most_common())
    early = sum(n for y, n in total.years.items() if y <= 2019)
    late = sum(n for y, n in total.years.items() if 2023 <= y <= 2025)
    lines = [
        f"- **{total.sentences:,} standalone sentences** (`sentences/<theatre>.jsonl`), "
        f'{total.negatives:,} of them hard negatives (`"events": []`, '
        f"{total.negatives / total.sentences:.0%}).",
        f"- **{total.articles:,} articles** (`articles/<theatre>.jsonl`, as `dev-articles.jsonl`), "
        f"{total.article_events:,} labelled event sentences; the sentences not listed are the article's own "
        "negatives.",
        f"- **{sum(total.categories.values()):,} events** in all: {cats}; by status {statuses}; scope "
        f"incident {total.scopes['incident']:,}, cumulative {total.scopes['cumulative']:,}.",
        f"- **{len(theatres)} theatres**, years {min(total.years)}-{max(total.years)} (2014-2019: {early:,} "
        f"sentences; 2023-2025: {late:,}), {len(total.pages):,} distinct source pages.",
        "",
        "| split | theatres | sentences | articles |",
        "|---|---|---|---|",
    ]
    for split in ("test", "validation", "train"):
        names = sorted(t for t in theatres if split_of.get(t, "train") == split)
        shown = ", ".join(names) if split != "train" else f"the other {len(names)}"
        sentences = sum(theatres[t].sentences for t in names)
        articles = sum(theatres[t].articles for t in names)
        lines.append(f"| {split} | {shown} | {sentences:,} | {articles} |")
    lines += [
        "",
        "| theatre | split | sentences | " + " | ".join(CATEGORIES) + " | hard negatives | articles |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name in sorted(theatres):
        t = theatres[name]
        counts = " | ".join(str(t.categories[c]) for c in CATEGORIES)
        split = split_of.get(name, "train")
        lines.append(f"| `{name}` | {split} | {t.sentences} | {counts} | {t.negatives} | {t.articles} |")
    return "\n".join(lines)


def render(readme: str) -> str:
    head, sep, rest = readme.partition(START)
    _, sep2, tail = rest.partition(END)
    if not sep or not sep2:
        raise SystemExit(f"datasheet: {README} lacks the markers {START} ... {END}")
    return f"{head}{START}\n{figures()}\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the datasheet's figures are stale")
    args = parser.parse_args(argv)
    current = README.read_text(encoding="utf-8")
    wanted = render(current)
    if args.check:
        if wanted != current:
            print("datasheet: corpus/README.md is stale; run tools/corpus/datasheet.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
