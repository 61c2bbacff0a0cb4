"""Whole words in one Aho-Corasick pass: the boundary checks done by the automaton, in C.

The text is "blanked" (every character that cannot be part of a word becomes a space,
offsets kept) and padded with a space at each end; a word that needs a boundary is keyed
with a space on that side. A key then matches exactly where the word stands between
boundaries, and a word inside another ("men" in "women") is never even reported. A word
character is a letter, a digit, "_" or "-" (regex `[\\w-]`) unless a finder says otherwise.
Blanking can make two texts look alike ("u.s." and "u s"), so a match counts only where
the text is the word itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import ahocorasick  # type: ignore[import-not-found]  # a C extension without stubs

_WORD = re.compile(r"\w")  # a letter or digit (str.isalnum()) or "_"
_WIDE = re.compile(r"[^\x00-\xff]")


def _table(keep: str) -> bytes:
    """Per Latin-1 byte: itself if a word character or in `keep`, else a space."""
    return bytes(c if _WORD.match(chr(c)) or chr(c) in keep else 32 for c in range(256))


_HYPHEN = _table("-")


def _wide(m: re.Match[str]) -> str:
    return "a" if m.group().isalnum() else " "


def blank(text: str, table: bytes = _HYPHEN) -> str:
    """`text` with every non-word character a space and every word character kept (same length).

    The characters a `table` keeps (by default "-") stay too. A byte translation over Latin-1
    (6x faster than a regex substitution over the text's punctuation); the rare wider characters
    become a stand-in of their kind: "a" or " ".
    """
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        raw = _WIDE.sub(_wide, text).encode("latin-1")
    return raw.translate(table).decode("latin-1")


def padded(text: str, table: bytes = _HYPHEN) -> str:
    """The blanked text with a space on each side: what the automata of this module scan."""
    return " " + blank(text, table) + " "


class Words:
    r"""A fixed set of words (or phrases) found as whole words, case as given.

    `before` and `after` are the characters other than letters, digits and "_" that may not
    stand right before or after a word: with the defaults a word is `(?<![\w-])word(?![\w-])`;
    `after=""` lets it end at any punctuation ("Russia-backed"), as `(?![\w])` does.
    """

    def __init__(
        self, words: Iterable[str], *, before: str = "-", after: str = "-", suffixes: tuple[str, ...] = ("",)
    ) -> None:
        keep = "".join(sorted(set(before + after)))
        self._table = _table(keep)
        lefts = [" ", *sorted(set(keep) - set(before))]  # what may stand before a word, once blanked
        rights = [" ", *sorted(set(keep) - set(after))]
        # (word, its written form: the word and one of its suffixes); forms that blank alike
        # ("u.s.", "u s") share a key
        keys: dict[str, list[tuple[str, str, int, int]]] = {}
        for word in words:
            if not word or not blank(word, self._table).strip():
                raise ValueError(f"not a word: {word!r}")
            for suffix in suffixes:
                form = blank(word + suffix, self._table)
                for left in lefts:
                    for right in rights:
                        keys.setdefault(left + form + right, []).append(
                            (word, word + suffix, len(word + suffix), -len(word))
                        )
        self._auto = ahocorasick.Automaton()
        for key, alike in keys.items():
            self._auto.add_word(key, tuple(alike))
        self._auto.make_automaton()

    def _found(self, text: str) -> list[tuple[int, int, int, str]]:
        """(start, -length of the word, -end, word) of every whole word (with a suffix) in `text`."""
        found = []
        # a key ends at `last` in the padded text, one past the form's last character in `text`
        for last, alike in self._auto.iter(padded(text, self._table)):
            end = last - 1
            for word, form, size, neg_size in alike:
                start = end - size
                if text.startswith(form, start):
                    found.append((start, neg_size, -end, word))
        return found

    def first(self, text: str) -> int:
        r"""Where the leftmost whole word of the set starts in `text`, or -1: what
        `re.search(r"(?<![\w-])(?:w1|w2|...)(?![\w-])", text).start()` finds, in one C pass."""
        found = self._found(text)
        return min(found)[0] if found else -1

    def starts(self, text: str) -> list[int]:
        """Where a whole word of the set starts in `text`, each position once, in order."""
        return sorted({hit[0] for hit in self._found(text)})

    def longest(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, word) of the words in `text`, left to right, the longest where they overlap.

        What a scan with the trie regex of the words (longest first, then its longest suffix)
        finds, taking each match that starts a word and going on from its end
        (gazetteer.word_start_finditer).
        """
        found = self._found(text)
        found.sort()
        out: list[tuple[int, int, str]] = []
        reach = 0
        for start, _, neg_end, word in found:
            if start >= reach:
                reach = -neg_end
                out.append((start, reach, word))
        return out


class Substrings:
    """A fixed set of strings found anywhere (inside words too), case as given."""

    def __init__(self, strings: Iterable[str]) -> None:
        self._auto = ahocorasick.Automaton()
        for s in strings:
            if not s:
                raise ValueError("an empty string matches everywhere")
            self._auto.add_word(s, len(s))
        self._auto.make_automaton()

    def occur(self, text: str) -> bool:
        """Does a string of the set occur in `text`?"""
        return next(self._auto.iter(text), None) is not None

    def longest(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of the longest string of the set at each position where one starts, in order:
        where `re.compile(trie_alternation(strings)).search` would match, from each position."""
        best: dict[int, int] = {}
        for last, size in self._auto.iter(text):
            start = last + 1 - size
            if best.get(start, 0) < size:
                best[start] = size
        return [(start, start + best[start]) for start in sorted(best)]
