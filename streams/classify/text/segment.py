"""One-pass regex sentence splitter that owns its offsets.

Sentences end at newlines (headlines and captions have no final period) and at
[.!?] followed by space and a capital, digit or opening quote, unless the word
before the period is a known abbreviation ("Gen.", "Sept.", "U.S.") or an initial.
"""

from __future__ import annotations

import re

from streams.classify.resources import read_lines

# One charset first (fast scan); a run of [.!?] is tried once from its first char (linear on "....").
_BREAK = re.compile(r"[\n.!?](?:(?<=\n)|(?<![.!?][.!?])[.!?]*+[\"')\]]*+(?=[ ]+[\"']?[A-Z0-9]))")
_ABBREVIATIONS = frozenset(a.lower() for a in read_lines("abbreviations.txt"))
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+")

Span = tuple[int, int]


def _is_abbreviation(text: str, line_start: int, dot: int) -> bool:
    """Is the word ending at the period text[dot] an abbreviation or an initial?"""
    word_start = max(text.rfind(" ", line_start, dot), text.rfind("(", line_start, dot)) + 1
    word = text[word_start : dot + 1]
    if word.lower() in _ABBREVIATIONS:
        return True
    return _INITIALS.fullmatch(word) is not None and (len(word) == 2 or word[:-1].isupper())


def _strip(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def split_sentences(text: str) -> list[Span]:
    """(start, end) spans of the sentences of `text` (normalised), whitespace stripped."""
    spans: list[Span] = []
    start = line_start = 0
    for m in _BREAK.finditer(text):
        if m.group() == "\n":
            end = m.start()
        else:
            dot = m.start()
            if text[dot] == "." and m.end() - dot == 1 and _is_abbreviation(text, line_start, dot):
                continue
            end = m.end()
        span = _strip(text, start, end)
        if span is not None:
            spans.append(span)
        start = m.end()
        if m.group() == "\n":
            line_start = start
    span = _strip(text, start, len(text))
    if span is not None:
        spans.append(span)
    return spans
