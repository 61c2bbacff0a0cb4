"""The automaton word finders match exactly what the regexes they replaced matched.

Each finder is checked against its reference (the regex, or the boundary checks on raw
automaton matches) on every sentence of the shared data and on texts made to probe the
boundaries: names glued by hyphens, apostrophes, digits, accented and wide characters.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import ahocorasick  # type: ignore[import-not-found]
import pytest

from streams.classify.extract import when
from streams.classify.extract.parties import _TABLE
from streams.classify.extract.systems import _HEADS, _NAMED, _NAMED_BODY, _NAMED_SUFFIXES
from streams.classify.text import lexicon
from streams.classify.text.gazetteer import trie_alternation, word_start_finditer
from streams.classify.text.normalize import lower_same_length, normalize
from streams.classify.text.segment import split_sentences
from streams.classify.text.words import Substrings, Words, blank

_GLUE = ["", " ", "  ", "-", "_", "'", "'s ", ".", ",", ";", ":", "é", "š", "\u2014", "(", "1", "x", "\n"]


def _texts(shared: Path, words: list[str], n: int = 1500) -> list[str]:
    texts: list[str] = []
    for path in sorted(shared.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line:
                item = json.loads(line)
                body = normalize(item.get("body") or item.get("text"))
                texts += [body[s:e] for s, e in split_sentences(body)]
    rng = random.Random(13)
    for _ in range(n):
        pieces = [rng.choice(words + _GLUE) for _ in range(rng.randint(1, 9))]
        texts.append("".join(rng.choice(_GLUE) + p for p in pieces))
    return texts


def test_blank_turns_exactly_the_non_word_characters_into_spaces() -> None:
    latin = "Anti-tank_1, l'\u00e9t\u00e9; \u00b2 \u00bd\t\u00a0\u00d7!"
    assert blank(latin) == re.sub(r"[^\w -]", " ", latin)
    wide = "\u0161koda\u2014\u4e2d\u6587 \u2028\u0394"  # wider than Latin-1: a stand-in of each kind
    assert blank(wide) == "akoda aa  a"
    assert [c == " " for c in blank(wide)] == [re.match(r"[^\w-]", c) is not None for c in wide]


def test_words_that_blank_alike_are_told_apart() -> None:
    words = Words(["U.S.", "U S", "\u0160ibenik"])
    assert words.longest("the U.S. and U S") == [(4, 8, "U.S."), (13, 16, "U S")]
    assert words.longest("near \u0160ibenik and aibenik") == [(5, 12, "\u0160ibenik")]


def test_longest_is_the_trie_regex_scan_of_the_names(shared_data: Path) -> None:
    names = Words(_TABLE, after="")
    regex = re.compile("(?:" + trie_alternation(list(_TABLE)) + r")(?![\w])")
    for text in _texts(shared_data, list(_TABLE)):
        expected = [(m.start(), m.end(), m.group()) for m in word_start_finditer(regex, text)]
        assert names.longest(text) == expected, text


def test_longest_with_suffixes_is_the_trie_regex_scan_of_the_system_names(shared_data: Path) -> None:
    names = Words(_NAMED, suffixes=_NAMED_SUFFIXES)
    for text in _texts(shared_data, [n + s for n in _NAMED for s in ("", "s", "-type", "-types", "-")]):
        expected = [(m.start(), m.end(), m.group(1)) for m in word_start_finditer(_NAMED_BODY, text)]
        assert names.longest(text) == expected, text


def test_next_start_walks_as_the_regex_search_did(shared_data: Path) -> None:
    starts = [*when._STARTS, "this", "next", "earlier", "later", "past"]
    regex = re.compile(r"\d+|(?:" + trie_alternation(starts) + r")")
    finder = Substrings(starts)
    for text in _texts(shared_data, [*starts, "12", "2024", "Sept.", "blast"]):
        words = finder.longest(text)
        for pos in range(0, len(text) + 1, 3):
            m = regex.search(text, pos)
            hit = when._next_start(text, words, 0, pos)
            assert (hit[1:] if hit else None) == (m.span() if m else None), (text, pos)


def test_first_is_the_regex_search_for_a_whole_word(shared_data: Path) -> None:
    heads = Words(_HEADS)
    regex = re.compile(r"(?<![\w-])(?:" + trie_alternation(list(_HEADS)) + r")(?![\w-])")
    for text in _texts(shared_data, list(_HEADS)):
        low = text.lower()
        m = regex.search(low)
        assert heads.first(low) == (m.start() if m else -1), low


def _reference_scan(low: str) -> list[lexicon.Hit]:
    """The lexicon scan as it was: raw automaton matches, boundaries checked one by one."""
    auto = ahocorasick.Automaton()
    for term, tags in lexicon.TERMS.items():
        auto.add_word(term, (term, len(term) - 1, term[0] not in ",;:", term[-1] not in ";:", tags))
    auto.make_automaton()

    def word(ch: str) -> bool:
        return ch.isalnum() or ch in "_-"

    found = []
    for last, (term, span, left, right, tags) in auto.iter(low):
        start = last - span
        if (left and start and word(low[start - 1])) or (
            right and last + 1 < len(low) and word(low[last + 1])
        ):
            continue
        found.append((start, -last - 1, term, tags))
    hits: list[lexicon.Hit] = []
    reach = 0
    for start, neg_end, term, tags in sorted(found):
        if start >= reach:
            reach = -neg_end
            hits.append(lexicon.Hit(start, reach, term, tags))
    return hits


def test_scan_checks_boundaries_as_the_raw_matches_did(shared_data: Path) -> None:
    for text in _texts(shared_data, list(lexicon.TERMS)):
        low = lower_same_length(text)
        if "  " not in low:  # runs of spaces are squeezed before the scan proper
            assert lexicon.scan(low) == _reference_scan(low), low


def test_a_word_of_punctuation_alone_is_refused() -> None:
    with pytest.raises(ValueError, match="not a word"):
        Words(["; "])
