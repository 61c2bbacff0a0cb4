"""The one quantity an event carries: troops sent, money pledged, people killed.

Each number is tied to what it counts (the noun after it, or a casualty word on
either side), and the category decides which count is the event's: personnel or
assets for a deployment, money (else materiel) for a supply, the killed figure (or
the first casualty count) for a casualty. Dates, years, calibres, distances and
model numbers never count.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from streams.classify.extract.systems import named_system_at
from streams.classify.model import Category, Quantity
from streams.classify.text.gazetteer import load, trie_alternation
from streams.classify.text.numbers import Number, find_numbers

MAX_CHARS = 4000

_DATA = load("quantities.json")
_PERSONNEL = frozenset(_DATA["personnel"])
_CIVILIAN = frozenset(_DATA["civilian_personnel"])  # counted apart from the forces they accompany
_UNITS = _DATA["personnel"] + _DATA["assets"]
_SINGULAR = frozenset({"troop", "soldier", "jet", "tank", "missile", "drone", "container", "package"})
_CAS_RIGHT: dict[str, str] = _DATA["casualty_right"]
_CAS_LEFT: dict[str, str] = _DATA["casualty_left"]
_MONTHS = (
    r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?|January|February|March|April|May|June|July|August"
    r"|September|October|November|December"
)
_FUNC = (
    r"(?:and|or|in|into|to|with|from|at|on|for|by|were|was|are|is|had|have|has|been|that|which|who|the|a|of"
    r"|as)"
)
_TOKEN = r"(?!" + _FUNC + r"\b)[A-Za-z][\w.'\-]*"
_UNIT = re.compile(
    r"(?P<strong>-strong\b)|(?:\s+of)?(?:\s+(?:the|its|their|his|her))?(?:\s+" + _TOKEN + r"){0,3}?"
    r"\s+(?P<unit>" + trie_alternation(_UNITS) + r")(?![\w-])",
    re.I,
)
_NOT_COUNT = re.compile(
    r"\s?-?\s?(?:"
    + trie_alternation(_DATA["not_counts"])
    + r")(?![\w])|-(?:pound|year|month|day|week|mile|km|ton)"
)
_BEFORE_DATE = re.compile(
    r"(?:\b(?:"
    + _MONTHS
    + r")|\b(?:"
    + "|".join(map(re.escape, _DATA["no_number_after"]))
    + r")|\baged?)\s*$"
)
_RIGHT = re.compile(
    r"(?:\s+of)?(?:\s+[A-Za-z0-9][\w.'\-]*){0,8}?\s+(?:(?:had|have|has|may|might|could|were|was|are|is|been|also|reportedly|"
    r"still|listed|as|presumed|being|later|all|were\s+later)\s+)*(?P<cas>"
    + trie_alternation(list(_CAS_RIGHT))
    + r")(?![\w-])",
    re.I,
)
_LEFT = re.compile(
    r"(?:\b(?P<cas>" + trie_alternation(list(_CAS_LEFT)) + r")(?:\s+[\w.'\-]+){0,4}?"
    r"|\b(?P<toll>killed|dead|deaths|death toll|toll)\b[^;\d]{0,90}?"
    r"\b(?:risen|rose|reached|climbed|stands|stood|raised)"
    r"(?:\s+[\w.'\-]+){0,3}?"
    # "raised the toll of the weekend's killings to 745": the verb before the toll
    r"|\b(?:raised|revised|put|pushed|brought)\s+(?:the\s+|its\s+)?(?:death\s+)?toll\b[^;\d]{0,90}?\b(?:to|at))"
    r"\s*$",
    re.I,
)
_PERSONNEL_NOUN = re.compile(r"\b(" + "|".join(sorted(_PERSONNEL, key=len, reverse=True)) + r")\b")
_ARMS_MONEY = re.compile(
    r"(?:\s+[\w-]+){0,2}?\s+(?:weapons|arms|military|security|aid|package|sale|deal|in weapons)\b", re.I
)
_APPOSITIVE = re.compile(
    r",\s*(?:(?:\w+ of (?:them|whom))|including|among them)\b[^,;]{0,80},|,[^,;]{1,60}\bamong them,"
    r"|\s-\s[^-;]{1,90}\s-\s"
)
_APPOSITIVE_WORDS = (" of them", " of whom", "including", "among them")

_AND = re.compile(r"[^,;.]{0,40}\band\s*")  # "3,000 troops and 500 officers": one force
# "5,000 soldiers and about 300 ...": two counts, not one mixed force
_AND_COUNT = re.compile(r"\s+\S+\s+and\s+(?:roughly|about|some|around|\d)")


def _blank(text: str) -> str:
    """Appositives ("25 people, two of them civilians, were killed") blanked, offsets kept."""
    if "-" not in text and not ("," in text and any(w in text for w in _APPOSITIVE_WORDS)):
        return text  # each kind of appositive needs a dash, or a comma and one of its words: skip the regex
    return _APPOSITIVE.sub(lambda m: " " * len(m.group(0)), text)


def _excluded(text: str, n: Number) -> bool:
    if _NOT_COUNT.match(text, n.end) or _BEFORE_DATE.search(text, max(0, n.start - 16), n.start):
        return True
    if n.currency is None and n.low is None and 1900 <= n.value <= 2100 and "," not in n.text:
        return _UNIT.match(text, n.end) is None
    return n.text.lower() == "one" and text.startswith((" of", " in "), n.end)


_NAMED_UNITS = {"aircraft": "aircraft", "jet": "aircraft"}  # "two Su-30SMs" are two aircraft


def _unit(text: str, n: Number, stop: int) -> str | None:
    """What `n` counts; the noun lies before `stop`, the next number ("Seven of the fifty tanks": fifty)."""
    named = named_system_at(text, n.end)
    if named:
        head = named.rsplit(" ", 1)[-1]
        return _NAMED_UNITS.get(head, head + "s")
    m = _UNIT.match(text, n.end)
    if not m or m.end() > stop:
        return None
    if m.group("strong"):
        return "troops"
    unit = m.group("unit").lower().replace("armoured", "armored")
    return unit + "s" if unit in _SINGULAR else unit


def _casualty(text: str, n: Number, after: int, stop: int) -> str | None:
    """The casualty word tied to `n`, between the number before it (ending at `after`) and the one after it
    (starting at `stop`): "five paramedics were among thirty-eight people killed" ties "killed" to 38."""
    left = _LEFT.search(text, max(0, n.start - 110, after), n.start)
    if left and not any(ch.isdigit() for ch in text[left.start() : n.start]):
        return _CAS_LEFT[left.group("cas").lower()] if left.group("cas") else "killed"
    right = _RIGHT.match(text, n.end)
    return _CAS_RIGHT[right.group("cas").lower()] if right and right.end() <= stop else None


def _quantity(n: Number, unit: str | None, value: float | None = None) -> Quantity:
    return Quantity(
        value=n.value if value is None else value,
        unit=unit,
        approx=n.approx,
        text=n.text,
        low=n.low,
        high=n.high,
    )


def _money(text: str, numbers: list[Number]) -> Quantity | None:
    """The first sum of money, preferring one that prices arms ("a $1 billion weapons package")."""
    money = [n for n in numbers if n.currency]
    for n in money:
        if _ARMS_MONEY.match(text, n.end):
            return _quantity(n, n.currency)
    return _quantity(money[0], money[0].currency) if money else None


def _force(text: str, numbers: list[Number], stops: dict[int, int], personnel_only: bool) -> Quantity | None:
    for i, n in enumerate(numbers):
        unit = _unit(text, n, stops[n.start])
        if unit is None or (personnel_only and unit not in _PERSONNEL):
            continue
        if unit in _PERSONNEL and i + 1 < len(numbers):
            nxt = numbers[i + 1]
            unit2 = _unit(text, nxt, stops[nxt.start])
            if (
                unit2 in _PERSONNEL
                and unit2 != unit
                and unit2 not in _CIVILIAN
                and _AND.fullmatch(text[n.end : nxt.start])
            ):
                return _quantity(n, "personnel", n.value + nxt.value)
        tail = text[n.end : n.end + 80]
        mixed = re.match(
            r"\s+" + re.escape(unit) + r"\s+and\s+(?:other\s+)?(?:civilian\s+)?[a-z]+\b", tail, re.I
        )
        if unit in _PERSONNEL and mixed and not _AND_COUNT.match(tail):
            return _quantity(n, "personnel")  # "5,000 soldiers and civilian employees" counts personnel
        return _quantity(n, unit)
    return None


# what may stand between two numbers of one noun phrase: a partitive ("two of the seven batteries", "some
# three hundred of the mission's ten thousand troops"), a coordination ("ten soldiers and eight civilians"),
# a compound ("fifteen forty-foot containers")
_JOINED = re.compile(
    r"\s*|\s+of\s+(?:(?:the|its|their|his|her|our)\s+)?(?:[\w.-]+'s?\s+)?"
    r"|\s+(?:(?!(?:were|was|are|is|been|had|have|has|fled|died|killed|wounded|injured|in)\s)[\w'.-]+\s+){0,6}?"
    r"and\s+(?:probably\s+|possibly\s+|all\s+|another\s+)?"
)


def _stops(text: str, numbers: Sequence[Number]) -> dict[int, int]:
    """Where the words after each number may reach: the next number, unless the two share a noun phrase.

    Digits end the word runs of _UNIT and _RIGHT by themselves; number words must be told to, or
    "five paramedics were among thirty-eight people killed" counts five.
    """
    stops: dict[int, int] = {}
    stop = len(text)
    for a, b in reversed(list(pairwise(numbers))):
        stops[b.start] = stop
        if not _JOINED.fullmatch(text, a.end, b.start):
            stop = b.start
    stops[numbers[0].start] = stop
    return stops


def extract_quantity(text: str, category: Category) -> Quantity | None:
    """The quantity relevant to `category` in one sentence, or None."""
    if category == "forecast":
        return None
    text = _blank(text[:MAX_CHARS])
    every = find_numbers(text)
    numbers = [n for n in every if not _excluded(text, n)]
    if not numbers:
        return None
    stops = _stops(text, every)
    if category == "casualty":
        after = {b.start: a.end for a, b in pairwise(every)}
        for n in numbers:
            kind = _casualty(text, n, after.get(n.start, 0), stops[n.start])
            if kind:
                return _quantity(n, kind)
        return None
    if category == "supply":
        return _money(text, numbers) or _force(text, numbers, stops, personnel_only=False)
    found = _force(text, numbers, stops, personnel_only=False)
    if found is None:
        nouns = _PERSONNEL_NOUN.findall(text)
        approx = [n for n in numbers if n.approx and n.currency is None]
        if nouns and approx:
            return _quantity(approx[0], nouns[-1].lower())
    return found
