"""The trigger lexicon: one Aho-Corasick pass finds every lexicon term of an article.

Terms live in data/lexicon.json by tag (trigger verbs and nouns per category,
force and materiel nouns, status and negation cues, non-military guards). A term
may carry several tags; the leftmost, then longest, term wins where terms overlap.
The automaton costs one C loop over the text (3x less than the trie regex it
replaced); word boundaries are checked only on the raw matches.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any, NamedTuple

import ahocorasick  # type: ignore[import-not-found]  # a C extension without stubs

from streams.classify.resources import read_json

# Tag groups that more than one module asks about.
MATERIEL = frozenset({"materiel", "dual", "cargo"})  # what can be handed over
ARMED = frozenset({"force", "asset", "dual", "materiel", "conflict"})  # military in itself
MILITARY = ARMED | {"cargo"}  # a sentence's sense: its cargo words (a shipment) count too


class Hit(NamedTuple):
    start: int
    end: int
    term: str
    tags: frozenset[str]


def _load() -> dict[str, frozenset[str]]:
    raw: dict[str, Any] = read_json("lexicon.json")
    tags: dict[str, set[str]] = {}
    for tag, entries in raw.items():
        if tag.startswith("_"):
            continue
        for entry in entries:
            for form in entry.split("|"):
                key = " ".join(form.lower().split())
                if key:
                    tags.setdefault(key, set()).add(tag)
    return {k: frozenset(v) for k, v in tags.items()}


TERMS: dict[str, frozenset[str]] = _load()


def _automaton() -> Any:
    auto = ahocorasick.Automaton()
    for term, tags in TERMS.items():
        # Word terms start and end on word boundaries; clause marks (", that", ";") may touch a word.
        auto.add_word(term, (term, len(term) - 1, term[0] not in ",;:", term[-1] not in ";:", tags))
    auto.make_automaton()
    return auto


_AUTO = _automaton()
_SPACES = re.compile(r" {2,}")


_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


def _scan(low: str) -> list[Hit]:
    found: list[tuple[int, int, str, frozenset[str]]] = []
    n = len(low)
    word = _ASCII_WORD
    for last, (term, span, left, right, tags) in _AUTO.iter(low):
        start = last - span
        if left and start:
            ch = low[start - 1]
            if ch in word or (ch > "\x7f" and ch.isalnum()):
                continue
        if right and last + 1 < n:
            ch = low[last + 1]
            if ch in word or (ch > "\x7f" and ch.isalnum()):
                continue
        found.append((start, -last - 1, term, tags))
    found.sort()
    hits: list[Hit] = []
    reach = 0
    for start, neg_end, term, tags in found:
        if start >= reach:
            reach = -neg_end
            hits.append(Hit(start, reach, term, tags))
    return hits


def scan(low: str) -> list[Hit]:
    """Every lexicon term in `low` (lowercased text), left to right, longest match first.

    Runs of spaces match the single space of a term: they are squeezed first and
    the hits mapped back to offsets in `low`.
    """
    if "  " not in low:
        return _scan(low)
    runs = [(m.start(), m.end() - m.start() - 1) for m in _SPACES.finditer(low)]
    starts: list[int] = []  # positions in the squeezed text after which a run's extra spaces sit
    shifts = [0]
    removed = 0
    for pos, extra in runs:
        starts.append(pos - removed)
        removed += extra
        shifts.append(removed)

    def back(i: int, end: bool) -> int:
        return i + shifts[bisect_right(starts, i - end)]

    squeezed = _SPACES.sub(" ", low)
    return [Hit(back(h.start, False), back(h.end, True), h.term, h.tags) for h in _scan(squeezed)]
