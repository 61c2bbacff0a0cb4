"""When an event happened, as written ("December 23", "on Monday", "in November"), with its date.

A small grammar instead of dateparser: the expressions news uses are few, and a
generic parser reads the modal "may" as a month. Only day-precise expressions get
a date (the schema's `date` is a full date); months, seasons, years and decades
("the late 1980s") keep the text alone.
"""

from __future__ import annotations

import datetime
import re

from streams.classify.model import When
from streams.classify.text.words import Substrings

MAX_CHARS = 4000

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12,
}  # fmt: skip
_FULL = r"January|February|March|April|May|June|July|August|September|October|November|December"
_ABBR = r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_YEAR = r"(?:19|20)\d{2}"
_PATTERN = re.compile(
    r"(?P<md>(?P<mon>" + _FULL + r"|(?:" + _ABBR + r")\.?)\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?![\d:])"
    r"(?:,?\s+(?P<year>" + _YEAR + r"))?)"
    r"|(?P<dm>(?P<day2>\d{1,2})\s+(?P<mon2>" + _FULL + r")(?:\s+(?P<year2>" + _YEAR + r"))?)"
    r"|(?P<wd>(?P<wday>" + "|".join(_WEEKDAYS) + r"))(?:\s+(?:morning|afternoon|evening|night))?"
    r"|(?P<rel>(?:yesterday|today|last night|tonight|overnight)\b)"
    r"|(?P<month>(?:" + _FULL + r")(?:\s+" + _YEAR + r")?)"
    r"|(?P<period>(?:last|this|next|earlier this|later this|past)\s+"
    r"(?:week|weekend|month|year|spring|summer|autumn|fall|winter)\b)"
    r"|(?P<dec>(?:19|20)\d0s\b)"
    r"|(?P<yr>" + _YEAR + r"\b)"
)
_PREP = re.compile(
    r"\b(?P<p>(?:on|last|this|since|by|until|in|through|from|during|early|late|mid|in early|in late|in mid)"
    r"[\s-]+)$"
)
# a decade's own words before it: "in the late 1980s", "since the 1990s"
_DECADE_PREP = re.compile(
    r"\b(?P<p>(?:(?:in|since|during|from|by|until|through)\s+)?the\s+(?:(?:early|mid|late)[\s-]+)?)$"
)
_TAKES_PREP = frozenset({"wd", "month", "yr", "dec"})
_STARTS = [
    *_FULL.split("|"),
    *_ABBR.split("|"),
    *_WEEKDAYS,
    "yesterday",
    "today",
    "tonight",
    "overnight",
    "last",
]
_START_WORDS = Substrings([*_STARTS, "this", "next", "earlier", "later", "past"])
_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"\d+")


def _next_start(text: str, words: list[tuple[int, int]], i: int, pos: int) -> tuple[int, int, int] | None:
    r"""(index into `words`, start, end) of the first place from `pos` an expression may start:
    what `re.search(r"\d+|start words", text, pos)` finds, from the words found beforehand."""
    while i < len(words) and words[i][0] < pos:
        i += 1
    digit = _DIGIT.search(text, pos)
    if digit is not None and (i == len(words) or digit.start() < words[i][0]):
        run = _DIGITS.match(text, digit.start())
        assert run is not None
        return i, digit.start(), run.end()
    return (i, *words[i]) if i < len(words) else None


def _month_day(published: datetime.date | None, month: int, day: int, year: str | None) -> str | None:
    if year:
        y = int(year)
    elif published:
        y = published.year
    else:
        return None
    try:
        date = datetime.date(y, month, day)
    except ValueError:
        return None
    if not year and published and date > published:
        try:
            date = date.replace(year=y - 1)
        except ValueError:
            return None
    return date.isoformat()


def _resolve(m: re.Match[str], published: datetime.date | None) -> str | None:
    if m.group("md"):
        mon = _MONTHS[m.group("mon")[:3].lower()]
        return _month_day(published, mon, int(m.group("day")), m.group("year"))
    if m.group("dm"):
        return _month_day(
            published, _MONTHS[m.group("mon2")[:3].lower()], int(m.group("day2")), m.group("year2")
        )
    if published is None:
        return None
    if m.group("wd"):
        back = (published.weekday() - _WEEKDAYS.index(m.group("wday"))) % 7
        if back == 0 and m.group("wd").startswith("last"):
            back = 7
        return (published - datetime.timedelta(days=back)).isoformat()
    rel = m.group("rel")
    if rel:
        return (
            published - datetime.timedelta(days=1 if rel in ("yesterday", "last night") else 0)
        ).isoformat()
    return None


def extract_when(text: str, published: datetime.date | None) -> When | None:
    """The first day-precise time expression of the sentence (else the first vaguer one)."""
    text = text[:MAX_CHARS]
    best: When | None = None
    pos = i = 0
    words = _START_WORDS.longest(text)  # one pass finds every start word; digits are searched for
    while (hit := _next_start(text, words, i, pos)) is not None:
        i, start, end = hit
        m = _PATTERN.match(text, start)
        if m is None:
            pos = end
            continue
        pos = m.end()
        if m.start() and (text[m.start() - 1].isalnum() or text[m.end() : m.end() + 1].isalnum()):
            continue
        kind = m.lastgroup if m.lastgroup in _TAKES_PREP else None
        prep = None
        if kind == "dec":
            prep = _DECADE_PREP.search(text, max(0, m.start() - 24), m.start())
        if kind and prep is None:
            prep = _PREP.search(text, max(0, m.start() - 12), m.start())
        if kind == "month" and not prep and not re.search(r"\d", m.group(0)):
            continue  # a bare "May" is the modal verb more often than the month
        if kind in ("yr", "dec") and prep is None and best is not None:
            continue
        written = text[prep.start("p") if prep else m.start() : m.end()]
        date = _resolve(m, published)
        if date:
            return When(text=written, date=date)
        if best is None:
            best = When(text=written, date=None)
    return best
