"""Field accuracy of the extractors on the labelled sets, given each label's category.

Run as a script for a report (`python -m tests.classify.field_accuracy [-v FIELD]`);
the test modules import `measure` and assert a floor per field.
"""

from __future__ import annotations

import datetime
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from streams.classify.extract.actors import Context, find_parties
from streams.classify.extract.event_systems import event_systems, resolve
from streams.classify.extract.locations import extract_location
from streams.classify.extract.quantities import extract_quantity
from streams.classify.extract.sources import extract_source
from streams.classify.extract.systems import system_mentions
from streams.classify.extract.when import extract_when

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SETS = ("seed-article.jsonl", "dev-articles.jsonl", "dev-sentences.jsonl")
_TRANS = str.maketrans(
    {"\u00a0": " ", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)


def normalise(text: str) -> str:
    """The 1:1 normalisation the pipeline applies before the extractors see a sentence."""
    return text.translate(_TRANS)


@dataclass
class Score:
    hits: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, why: str) -> None:
        self.hits += ok
        self.total += 1
        if not ok:
            self.misses.append(why)

    @property
    def rate(self) -> float:
        return self.hits / self.total if self.total else 1.0


@dataclass
class F1:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp + self.fp + self.fn else 1.0


@dataclass
class Labelled:
    """One labelled event with what the pipeline would know: its article and the sentence's categories."""

    text: str
    label: dict[str, Any]
    published: datetime.date | None
    group: str
    body: str
    categories: set[str]


def _events(name: str) -> Iterator[Labelled]:
    """Every labelled event of one file, in text order."""
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        published = datetime.date.fromisoformat(doc["published_at"][:10]) if doc.get("published_at") else None
        body = normalise(doc.get("body") or doc.get("text", ""))
        for ev in doc["events"]:
            sentence = ev.get("sentence", doc.get("text", ""))
            cats = {
                e["category"] for e in doc["events"] if e.get("sentence", doc.get("text", "")) == sentence
            }
            yield Labelled(normalise(sentence), ev, published, doc["id"], body, cats)


def _qty(q: Any) -> str | None:
    if q is None:
        return None
    return (
        f"{float(q['value']):g} {str(q['unit']).lower()}" if isinstance(q, dict) else f"{q.value:g} {q.unit}"
    )


def measure(name: str) -> dict[str, Score | F1]:
    """Per-field scores on one labelled file."""
    s: dict[str, Score | F1] = {
        k: Score() for k in ("actor", "counterpart", "quantity", "source", "location")
    }
    sysf = F1()
    s["systems"] = sysf
    contexts: dict[str, Context] = {}
    for item in _events(name):
        text, ev, published, cat = item.text, item.label, item.published, item.label["category"]
        context = contexts.setdefault(item.group, Context())
        actor, counterpart = find_parties(text, cat, context.actor_for(cat))
        context.update(cat, actor)
        tag = f"[{cat}] {text}"
        s["actor"].add(actor == ev["actor"], f"{tag}\n    want {ev['actor']!r} got {actor!r}")  # type: ignore[union-attr]
        s["counterpart"].add(  # type: ignore[union-attr]
            counterpart == ev["counterpart"], f"{tag}\n    want {ev['counterpart']!r} got {counterpart!r}"
        )
        got_q, want_q = _qty(extract_quantity(text, cat)), _qty(ev["quantity"])
        s["quantity"].add(got_q == want_q, f"{tag}\n    want {want_q!r} got {got_q!r}")  # type: ignore[union-attr]
        if "source" in ev:
            src = extract_source(text)
            s["source"].add(src == ev["source"], f"{tag}\n    want {ev['source']!r} got {src!r}")  # type: ignore[union-attr]
        loc = extract_location(text, cat)
        s["location"].add(loc == ev["location"], f"{tag}\n    want {ev['location']!r} got {loc!r}")  # type: ignore[union-attr]
        found = resolve(text, system_mentions(text), item.body, max(0, item.body.find(text)))
        got, want = set(event_systems(text, found, cat, "supply" in item.categories)), set(ev["systems"])
        sysf.tp += len(got & want)
        sysf.fp += len(got - want)
        sysf.fn += len(want - got)
        if got != want:
            sysf.misses.append(f"{tag}\n    want {sorted(want)} got {sorted(got)}")
        extract_when(text, published)
    return s


def main(argv: list[str]) -> None:
    verbose = argv[argv.index("-v") + 1] if "-v" in argv else None
    for name in SETS:
        scores = measure(name)
        print(name, "  ".join(f"{k}={v.rate:.3f}" for k, v in scores.items()))
        if verbose:
            for miss in scores[verbose].misses:
                print("  ", miss)


if __name__ == "__main__":
    main(sys.argv[1:])
