"""The trigger lexicon: one Aho-Corasick pass finds every lexicon term of an article.

Terms live in data/lexicon.json by tag (trigger verbs and nouns per category,
force and materiel nouns, status and negation cues, non-military guards). A term
may carry several tags; the leftmost, then longest, term wins where terms overlap.
The automaton costs one C loop over the text (3x less than the trie regex it
replaced), and checks the word boundaries itself (text/words.py).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any, NamedTuple

import ahocorasick  # type: ignore[import-not-found]  # a C extension without stubs

from streams.classify.resources import read_json
from streams.classify.text.words import blank, padded

# Tag groups that more than one module asks about.
MATERIEL = frozenset({"materiel", "dual", "cargo"})  # what can be handed over
ARMED = frozenset({"force", "asset", "dual", "materiel", "conflict"})  # military in itself
MILITARY = ARMED | {"cargo"}  # a sentence's sense: its cargo words (a shipment) count too


class Hit(NamedTuple):
    start: int
    end: int
    term: str
    tags: frozenset[str]


def sentence_tags(hits: Sequence[Hit]) -> frozenset[str]:
    """The tags of a sentence's hits; a disaster's toll in a sentence with nothing military in it
    ("floods killed more than 200 people in Mokwa") is guarded as another sense of casualty words."""
    tags: frozenset[str] = frozenset().union(*(h.tags for h in hits))
    if "disaster" in tags and tags.isdisjoint(ARMED):
        return tags | {"guard_cas"}
    return tags


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


# Bare punctuation terms (";", ":") would blank to a space: they are found by str.find instead.
# They touch words on both sides, so they need no boundary check.
_MARKS = {t: tags for t, tags in TERMS.items() if not blank(t).strip() and t[0] in ",;:" and t[-1] in ";:"}


def _marks(low: str) -> list[tuple[int, int, str, frozenset[str]]]:
    found = []
    for term, tags in _MARKS.items():
        i = low.find(term)
        while i >= 0:
            found.append((i, -i - len(term), term, tags))
            i = low.find(term, i + 1)
    return found


def _automaton() -> Any:
    """Each term keyed as its blanked form with a space on each side that needs a word boundary.

    As in text/words.py, so a term inside a word ("men" in "women") is never reported.
    Clause marks (", that", ";") may touch a word, so they have no space on that side.
    """
    auto = ahocorasick.Automaton()
    keys: dict[str, list[tuple[str, int, int, frozenset[str], bool]]] = {}
    for term, tags in TERMS.items():
        if term in _MARKS:
            continue
        if not blank(term).strip():
            raise ValueError(f"lexicon term {term!r}: punctuation alone must touch words on both sides")
        left = " " if term[0] not in ",;:" else ""
        right = " " if term[-1] not in ";:" else ""
        key = left + blank(term) + right
        # A key made of a single word matches only that word; one with blanks ("u.s.", "air base")
        # may match other text ("u s", "air, base"): the text there is checked to be the term.
        check = blank(term) != term or " " in term
        # (term, chars of the key after the term's end, its length, tags, check); the key ends at `last`
        keys.setdefault(key, []).append((term, len(right), len(term), tags, check))
    for key, terms in keys.items():
        auto.add_word(key, tuple(terms))
    auto.make_automaton()
    return auto


_AUTO = _automaton()
_SPACES = re.compile(r" {2,}")


def _scan(low: str) -> list[Hit]:
    found = _marks(low)
    # a character wider than Latin-1 is blanked to a stand-in "a" ("šmass" would read "amass"): with
    # one in the text, every key's text is checked
    wide = not low.isascii()
    # offsets in the padded text are one more than in `low`: `last - pad` is the term's end - 1 in `low`
    for last, terms in _AUTO.iter(padded(low)):
        for term, pad, size, tags, check in terms:
            end = last - pad
            start = end - size
            if not (check or wide) or low.startswith(term, start):
                found.append((start, -end, term, tags))
    found.sort()
    hits: list[Hit] = []
    reach = 0
    new = tuple.__new__  # Hit(...) without its Python-level __new__
    for start, neg_end, term, tags in found:
        if start >= reach:
            reach = -neg_end
            hits.append(new(Hit, (start, reach, term, tags)))
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
