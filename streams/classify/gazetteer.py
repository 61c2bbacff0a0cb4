"""Sharing the field extractors' data files, and compiling word lists into fast regexes.

A plain alternation of thousands of names makes `re` try every branch at every
position; folding the names into a character trie first makes each position cost
one branch per character, so a gazetteer of any size stays a single cheap pass.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from streams.classify.resources import read_json


@cache
def load(name: str) -> Any:
    """The parsed JSON data file `name` from streams/classify/data (read once, shared)."""
    return read_json(name)


def _trie_pattern(node: dict[str, Any]) -> str:
    end = "" in node
    branches = [re.escape(ch) + _trie_pattern(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    if len(branches) == 1 and not end:
        return branches[0]
    body = "(?:" + "|".join(branches) + ")"
    return body + "?" if end else body


def trie_alternation(words: list[str] | set[str] | tuple[str, ...]) -> str:
    """A regex (no groups) matching any of `words`, longest first, built as a trie.

    Branches are tried in sorted order with the end-of-word option last, so a longer
    name always wins over its prefix ("South Sudan" before "South").
    """
    root: dict[str, Any] = {}
    for word in words:
        if not word:
            continue
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_pattern(root)
