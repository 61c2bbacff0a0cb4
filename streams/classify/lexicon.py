"""The trigger lexicon: one trie-shaped regex finds every lexicon term of an article in one pass.

Terms live in data/lexicon.json by tag (trigger verbs and nouns per category,
force and materiel nouns, status and negation cues, non-military guards). A term
may carry several tags; the longest term wins where terms overlap.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from streams.classify.resources import read_json


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


def _trie_pattern(words: list[str]) -> str:
    """A regex alternation factored into a trie, so the engine never backtracks across terms."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        branches = [(" +" if ch == " " else re.escape(ch)) + build(child) for ch, child in node.items() if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


TERMS: dict[str, frozenset[str]] = _load()
# Word terms must start and end on word boundaries; clause marks (", that", ";") may follow a word.
_PATTERN = re.compile(r"(?:(?<![\w-])|(?=[,;:]))" + _trie_pattern(sorted(TERMS)) + r"(?:(?![\w-])|(?<=[;:]))")


def scan(low: str) -> list[Hit]:
    """Every lexicon term in `low` (lowercased text), left to right, longest match first."""
    hits: list[Hit] = []
    for m in _PATTERN.finditer(low):
        term = m.group()
        if "  " in term:
            term = " ".join(term.split())
        hits.append(Hit(m.start(), m.end(), term, TERMS[term]))
    return hits
