"""Numbers as news writes them: "1,100", "five", "dozens", "$2.5 billion", "between 10,000 and 12,000".

Vague amounts are coded conservatively (dozens = 12, hundreds = 100, ...) and, like
hedged ones ("about", "at least"), flagged approximate.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from typing import NamedTuple

from streams.classify.text.gazetteer import load, trie_alternation
from streams.classify.text.memo import per_sentence
from streams.classify.text.words import Words

_DATA = load("quantities.json")
# float() as annotated: JSON gives ints, and three * thousand stayed an int in Python while mypyc (bench/
# README, "mypyc") converts at the typed boundary, so Quantity.value was 3000 or 3000.0 by build.
_BASE_WORDS: dict[str, float] = {w: float(v) for w, v in _DATA["words"].items()}


def _compounds(words: dict[str, float]) -> dict[str, float]:
    """ "twenty-one" to "ninety-nine", hyphenated or spaced, from the data's tens and units."""
    tens = {w: v for w, v in words.items() if 20 <= v <= 90 and v % 10 == 0 and " " not in w}
    units = {w: v for w, v in words.items() if 1 <= v <= 9 and " " not in w}
    return {t + sep + u: tv + uv for t, tv in tens.items() for u, uv in units.items() for sep in ("-", " ")}


# what may follow "hundred and" or "thousand and": "one hundred and twenty-six"
_UNDER_100 = {
    **{w: v for w, v in _BASE_WORDS.items() if v < 100 and " " not in w},
    **_compounds(_BASE_WORDS),
}
_WORDS: dict[str, float] = {**_BASE_WORDS, **_UNDER_100, **{w: float(v) for w, v in _DATA["vague"].items()}}
_VAGUE = frozenset(_DATA["vague"])
_SCALES: dict[str, float] = {w: float(v) for w, v in _DATA["scales"].items()}
_APPROX = frozenset(_DATA["approx"])
_BELOW = frozenset(_DATA["below"])  # "fewer than 100": at most 99
_AT_MOST = frozenset(_DATA["at_most"])  # "up to 400": at most 400
_CURRENCY = {"$": "usd", "us$": "usd", "€": "eur", "£": "gbp"}

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORD = trie_alternation(list(_WORDS))
_SCALE = r"(?:" + trie_alternation(list(_SCALES)) + r")(?![\w])"  # "four hundred", "$2.5 billion"
_AND_UNDER_100 = (
    r"(?:(?<=hundred)|(?<=thousand))\s+and\s+(?:" + trie_alternation(list(_UNDER_100)) + r")(?![\w])"
)
_NUMBER = re.compile(
    r"(?<![\w$.,\-/])(?:(?P<between>between)\s+|(?P<qual>"
    + trie_alternation(_DATA["approx"] + _DATA["exact"])
    + r")\s+)?"
    r"(?P<cur>us\$|\$|€|£)?\s?(?P<num>"
    + _DIGITS
    + r"|(?:"
    + _WORD
    + r")(?![\w]))(?:\s?(?P<scale>"
    + _SCALE
    + r"))?"
    r"(?P<rest>" + _AND_UNDER_100 + r")?"
    r"(?:\s*(?:-|to|(?(between)and|(?!)))\s*(?:us\$|\$|€|£)?(?P<num2>"
    + _DIGITS
    + r"|(?:"
    + _WORD
    + r")(?![\w]))(?:\s?(?P<scale2>"
    + _SCALE
    + r"))?(?P<rest2>"
    + _AND_UNDER_100
    + r")?)?"
    r"(?![\w])",
)  # matched against the lowercased text: faster than re.I


# Every number has a core: a digit or currency sign, or a number word ("five" but not "$five").
_CORE_SIGN = re.compile(r"[\d$\u20ac\u00a3]")
_CORE_WORDS = Words(_WORDS, before="$.,/-", after="")
_QUALIFIER = 40  # chars a hedge ("an additional estimated", "between") may take before the first number
_HEDGE = max(len(w) for w in [*_DATA["approx"], *_DATA["exact"], "between"])  # the longest hedge


class Number(NamedTuple):
    """One number mention; `currency` is set for money (a NamedTuple: 5x cheaper than a frozen dataclass)."""

    start: int
    end: int
    value: float
    approx: bool
    text: str
    vague: bool
    currency: str | None = None
    low: float | None = None
    high: float | None = None


def _value(num: str, scale: str | None) -> float:
    key = num.lower()
    base = _WORDS[key] if key in _WORDS else float(num.replace(",", ""))
    return base * _SCALES.get((scale or "").lower(), 1.0)


def _range_value(num: str, scale: str | None, other_scale: str | None) -> float:
    """A bound of a range: "1.5 to 2 billion" shares the scale, "three thousand to 5,000" does not.

    A bound without a scale of its own takes the other's only when it is under 1,000 alone.
    """
    value = _value(num, scale)
    if scale is None and other_scale is not None and value < 1000:
        return _value(num, other_scale)
    return value


def _and_part(rest: str | None) -> float:
    """The value of "and twenty-six" after a spelt-out hundred or thousand (0 without one)."""
    return _UNDER_100[rest.lower().split("and", 1)[1].strip()] if rest else 0.0


def _reach(text: str, core: int) -> int:
    """The first offset a number with this core may start at: its hedge, blanks and currency before it.

    A number is [hedge blanks] [currency] [blank] core...: the blanks run back from the core
    (from "us" of "us$"), the hedge is at most _HEDGE long, and neither holds a core.
    """
    start = core - 2 if text.startswith("us$", core - 2) else core
    while start > 0 and text[start - 1].isspace():
        start -= 1
    return start - _HEDGE


def _matches(subject: str) -> Iterator[re.Match[str]]:
    """`_NUMBER.finditer(subject, first core - _QUALIFIER)`, but the slow full pattern is tried only
    where a number can start: from `_reach` of the next core on, and not at all after the last core."""
    words = _CORE_WORDS.starts(subject)
    sign = _CORE_SIGN.search(subject)
    first = min(sign.start() if sign else len(subject), words[0] if words else len(subject))
    pos = max(0, first - _QUALIFIER)
    while True:
        sign = _CORE_SIGN.search(subject, pos)
        i = bisect_left(words, pos)
        core = min(sign.start() if sign else len(subject), words[i] if i < len(words) else len(subject))
        if core == len(subject):
            return  # every number has a core at or after its start
        m = _NUMBER.search(subject, max(pos, _reach(subject, core)))
        if m is None:
            return
        yield m
        pos = m.end()


@per_sentence
def find_numbers(text: str) -> tuple[Number, ...]:
    """Every number in `text`, with its hedge, in order (no unit yet)."""
    out: list[Number] = []
    low = text.lower()
    subject = low if len(low) == len(text) else text
    for m in _matches(subject):
        qual, between, cur, num, scale, num2, scale2, rest, rest2 = m.group(
            "qual", "between", "cur", "num", "scale", "num2", "scale2", "rest", "rest2"
        )
        qual = (qual or between or "").lower()
        if scale and scale.lower() in ("m", "k") and not cur:
            scale = None
        start, end = m.span()
        if scale2 and scale2.lower() in ("m", "k") and not cur:
            scale2 = None
        value = _range_value(num, scale, scale2) if num2 else _value(num, scale)
        value += _and_part(rest)
        high = _range_value(num2, scale2, scale) + _and_part(rest2) if num2 else None
        vague = num.lower() in _VAGUE
        approx = bool(qual in _APPROX or vague or high is not None)
        range_low = value if high is not None else None
        if high is None and (qual in _BELOW or qual in _AT_MOST):
            high = value - 1 if qual in _BELOW and value.is_integer() and value >= 1 else value
        out.append(
            Number(
                start=start,
                end=end,
                value=value,
                approx=approx,
                text=text[start:end].strip(),
                vague=vague,
                currency=_CURRENCY.get(cur.lower()) if cur else None,
                low=range_low,
                high=high,
            )
        )
    return tuple(out)
