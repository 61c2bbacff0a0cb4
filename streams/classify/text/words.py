"""Whole words in one Aho-Corasick pass: the boundary checks done by the automaton, in C.

The text is "blanked" (every character that cannot be part of a word becomes a space,
offsets kept) and padded with a space at each end; a word that needs a boundary is keyed
with a space on that side. A key then matches exactly where the word stands between
boundaries, and a word inside another ("men" in "women") is never even reported. A word
character is a letter, a digit, "_" or "-" (regex `[\\w-]`). Blanking can make two texts
look alike ("u.s." and "u s"), so a match counts only where the text is the word itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import ahocorasick  # type: ignore[import-not-found]  # a C extension without stubs

_NON_WORD = re.compile(r"[^\w -]")  # \w is str.isalnum() or "_"; spaces need no rewriting
_BLANK_BYTE = bytes(32 if _NON_WORD.match(chr(c)) else c for c in range(256))  # the same, per Latin-1 byte
_WIDE = re.compile(r"[^\x00-\xff]")


def _wide(m: re.Match[str]) -> str:
    return "a" if m.group().isalnum() else " "


def blank(text: str) -> str:
    """`text` with every non-word character a space and every word character kept (same length).

    A byte translation over Latin-1 (6x faster than a regex substitution over the text's
    punctuation); the rare wider characters become a stand-in of their kind: "a" or " ".
    """
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        raw = _WIDE.sub(_wide, text).encode("latin-1")
    return raw.translate(_BLANK_BYTE).decode("latin-1")


def padded(text: str) -> str:
    """The blanked text with a space on each side: what the automata of this module scan."""
    return " " + blank(text) + " "


class Words:
    r"""A fixed set of words (or phrases) found as whole words, case as given.

    `hyphen_after`: a word may end at a hyphen ("Russia-backed"), as `(?![\w])` allows.
    """

    def __init__(self, words: Iterable[str], *, hyphen_after: bool = False) -> None:
        keys: dict[str, list[str]] = {}  # words that blank alike ("u.s.", "u s") share a key
        for word in words:
            if not word or not blank(word).strip():
                raise ValueError(f"not a word: {word!r}")
            key = " " + blank(word)
            for end in (" ", "-") if hyphen_after else (" ",):
                keys.setdefault(key + end, []).append(word)
        self._auto = ahocorasick.Automaton()
        for key, alike in keys.items():
            self._auto.add_word(key, tuple(alike))
        self._auto.make_automaton()

    def first(self, text: str) -> int:
        r"""Where the leftmost whole word of the set starts in `text`, or -1: what
        `re.search(r"(?<![\w-])(?:w1|w2|...)(?![\w-])", text).start()` finds, in one C pass."""
        best = -1
        # a key ends at `last` in the padded text, one past the word's last character in `text`
        for last, alike in self._auto.iter(padded(text)):
            for word in alike:
                start = last - 1 - len(word)
                if (best < 0 or start < best) and text.startswith(word, start):
                    best = start
        return best

    def longest(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, word) of the words in `text`, left to right, the longest where they overlap.

        What a scan with the trie regex of the words (longest first) finds, taking each match
        that starts a word and going on from its end (gazetteer.word_start_finditer).
        """
        found = []
        for last, alike in self._auto.iter(padded(text)):
            end = last - 1
            for word in alike:
                start = end - len(word)
                if text.startswith(word, start):
                    found.append((start, -end, word))
        found.sort()
        out: list[tuple[int, int, str]] = []
        reach = 0
        for start, neg_end, word in found:
            if start >= reach:
                reach = -neg_end
                out.append((start, reach, word))
        return out
