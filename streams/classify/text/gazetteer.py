"""Sharing the field extractors' data files, and compiling word lists into fast regexes.

A plain alternation of thousands of names makes `re` try every branch at every
position; folding the names into a character trie first makes each position cost
one branch per character, so a gazetteer of any size stays a single cheap pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
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


WORD_START = r"(?<![\w-])"  # a name starts a word: no letter, digit, underscore or hyphen before it
_WORD_BEFORE = re.compile(r"[\w-]")


def word_start_finditer(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """`re.compile(WORD_START + pattern.pattern).finditer(text)`, several times faster.

    A leading lookbehind hides the pattern's first characters from `re`, which then
    tries the whole pattern at every position; without it `re` skips straight to the
    few positions that can start a match (capitalised names, codes), and the word
    start is checked here. `pattern` must not match the empty string.
    """
    pos = 0
    while m := pattern.search(text, pos):
        start = m.start()
        if start and _WORD_BEFORE.match(text, start - 1):
            pos = start + 1  # not a word start: the next match may begin inside this one
            continue
        yield m
        pos = m.end()
