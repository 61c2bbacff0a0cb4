"""Where the event happens: the first place the sentence puts it in, to or at.

Places come from the gazetteer (countries, capitals, and data/places.json), plus
any capitalised name introduced as a "village/town/city of ...". A place only
counts when a locative word governs it ("stationed in Lithuania", "sent to
Kursk", "strikes on Lebanon"); a bare "Moscow" or "Seoul" is a party, not a place.
A direction ("southern Lebanon") and a region word ("Kursk region") stay attached.
"""

from __future__ import annotations

import re

from streams.classify.extract.parties import COUNTRY_NAMES as _COUNTRY_NAMES
from streams.classify.extract.parties import Mention, mentions, party_of
from streams.classify.extract.sources import attribution_spans
from streams.classify.model import Category
from streams.classify.text.memo import per_sentence

MAX_CHARS = 4000

_IN = ("in", "at", "near", "inside", "within", "across", "around", "outside", "throughout")
_STRIKE = ("pounded", "hit", "struck", "shelled", "bombed", "attacked", "targeted")
_GO = ("into", "to", "toward", "towards", "on", "for", "along", "out", "reach", "left", "leaving", "of")
_PREPS: dict[Category, tuple[frozenset[str], frozenset[str]]] = {
    "deployment": (frozenset((*_IN, *_GO)), frozenset()),
    "supply": (frozenset((*_IN, "into", "arrived", "through", "via")), frozenset()),
    "casualty": (frozenset((*_IN, "on", "over", *_STRIKE)), frozenset({"to", "into", "of"})),
    "forecast": (
        frozenset((*_IN, "to", "toward", "towards", "into", "against", "invade", "on", "of")),
        frozenset(),
    ),
}
_SKIP = frozenset(
    {
        "the",
        "a",
        "an",
        "one",
        "single",
        "central",
        "neighbouring",
        "neighboring",
        "nearby",
        "small",
        "coastal",
    }
)
_NOT_WHERE = frozenset({"war", "conflict", "invasion"})
_DIRECTION = re.compile(
    r"(?:(?:north|south|east|west)(?:ern|-eastern|-western|eastern|western)|central|far)\s+$", re.I
)
_SUFFIX = re.compile(r"\s+(?:region|oblast|province|district|state|governorate|township|prefecture)\b", re.I)
_NAMED_SETTLEMENT = re.compile(
    r"\b(?:villages?|towns?|city|cities|settlements?|port|district)\s+of\s+"
    r"(?P<names>(?:[aAeE]l-)?[A-Z][\w'\-]+(?:\s+[A-Z][\w'\-]+){0,2}(?:,\s+[A-Z][\w'\-]+)*(?:,?\s+and\s+[A-Z][\w'\-]+)?)"
    r"|(?<![\w-])(?P<name>(?:[aAeE]l-)?[A-Z][a-z][\w'\-]+)\s+(?:village|town)\b"
)


def _may_name_settlement(text: str) -> bool:
    """Can _NAMED_SETTLEMENT match? A cheap test before its scan (20 us a sentence).

    Its words are lowercase, and all but "village"/"town" must be followed by "of".
    """
    if "village" in text or "town" in text:
        return True
    return "of" in text and ("cit" in text or "settlement" in text or "port" in text or "district" in text)


_BORDER = re.compile(r"(?:the\s+)?border\s+with\s+$")
_RECEIVES = re.compile(
    r"\s+(?:(?:first|also|reportedly|has|have|had)\s+)*"
    r"(?:received|receives|got|obtained|now has|already has)\b"
)
_POSSESSIVE = re.compile(r"'s\s+")
_DATELINE = re.compile(r"^[A-Z][A-Z ,.'\-]+(?:\([^)]*\))?\s+-\s")


def _governing_word(text: str, start: int) -> str:
    words = text[max(0, start - 50) : start].split()
    while words and (
        words[-1].lower() in _SKIP or words[-1].endswith("'s") or _DIRECTION.match(words[-1] + " ")
    ):
        words.pop()
    if len(words) > 1 and words[-1].lower() == "in" and words[-2].lower() in _NOT_WHERE:
        return "war in"
    return words[-1].lower().strip(",;:") if words else ""


_Candidate = tuple[int, str, str]  # (position, governing word, place text)


@per_sentence
def _candidates(text: str) -> tuple[_Candidate, ...]:
    """(position, governing word, place text) for every place, in order."""
    found = [m for m in mentions(text) if m.place]
    out = [
        place
        for i, m in enumerate(found)
        if (place := _gazetteer_place(text, m, found[i + 1] if i + 1 < len(found) else None))
    ]
    if _may_name_settlement(text):
        out.extend(_named_settlements(text))
    out.sort()
    return tuple(out)


def _gazetteer_place(text: str, m: Mention, nxt: Mention | None) -> _Candidate | None:
    """One gazetteer place with the word that governs it, or None when it names a party or a scene."""
    if _not_a_place(text, m, nxt):
        return None
    # Both patterns end in whitespace: a name glued to the word before ("pro-Russia") skips them.
    spaced = m.start > 0 and text[m.start - 1].isspace()
    name = _place_name(text, m, spaced)
    word = _governing_word(text, m.start)
    before = max(0, m.start - 20)
    # the pattern needs "border" inside its window: one substring test settles most places
    near_border = spaced and text.find("border", before, m.start) >= 0
    border = _BORDER.search(text, before, m.start) if near_border else None
    if border:
        name, word = f"{name} border", _governing_word(text, border.start())
    if _RECEIVES.match(text, m.end) and m.country:
        name, word = m.country, "receives"
    return (m.start, word, name)


def _not_a_place(text: str, m: Mention, nxt: Mention | None) -> bool:
    """Is this place mention really an owner or a scene-setter rather than where the event is?"""
    if nxt and _POSSESSIVE.fullmatch(text, m.end, nxt.start):
        return True  # "Russia's Kursk region": the inner place is the one meant
    if m.kind in ("country", "capital") and text.startswith("'s", m.end):
        return True  # "Azerbaijan's offensive": a party, not a place
    # "In Washington, ..." sets the scene for the speaker, not the event
    return m.kind == "capital" and m.start < 15 and text.startswith(",", m.end)


def _place_name(text: str, m: Mention, spaced: bool) -> str:
    """The place as labels name it, with its region word ("Kursk region") and direction ("southern")."""
    name = m.place or m.text
    suffix = _SUFFIX.match(text, m.end)
    if suffix:
        name += suffix.group(0).lower() if suffix.group(0).strip().lower() != "township" else suffix.group(0)
    direction = _DIRECTION.search(text, max(0, m.start - 20), m.start) if spaced else None
    if direction and m.kind in ("country", "place"):
        name = f"{direction.group(0).strip().lower()} {name}"
    return name


def _named_settlements(text: str) -> list[_Candidate]:
    """Capitalised names introduced as a settlement: "the village of Krynky", "Robotyne village"."""
    out: list[_Candidate] = []
    for s in _NAMED_SETTLEMENT.finditer(text):
        names = s.group("names") or s.group("name")
        out.append(
            (s.start("names" if s.group("names") else "name"), _governing_word(text, s.start()), names)
        )
    return out


def extract_location(text: str, category: Category) -> str | None:
    """The place where the event of `category` happens, as the labels name it, or None."""
    text = text[:MAX_CHARS]
    dateline = _DATELINE.match(text)
    floor = dateline.end() if dateline else 0
    primary, secondary = _PREPS[category]
    spans = attribution_spans(text)
    found = [
        (word, name)
        for pos, word, name in _candidates(text)
        if pos >= floor and not any(s <= pos < e for s, e in spans)
    ]
    if category == "supply":
        primary = primary | {"receives"}
    for preps in (primary, secondary):
        for word, name in found:
            if word in preps and not (preps is secondary and party_of(name) and name not in _COUNTRY_NAMES):
                return name
    return None
