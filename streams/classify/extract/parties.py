"""Every name of a party or place in a sentence, in one automaton pass (data/parties.json, places.json).

A mention knows the party it stands for ("Pyongyang", "North Korean", "the IDF",
"Putin" -> a party), and, for places, the canonical place and the country it lies
in ("Kursk region" -> Russia). Names that merely contain a party ("The Jerusalem
Post", "Taiwan Strait") are matched too, so the longest name wins and blocks them.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from streams.classify.text.gazetteer import load
from streams.classify.text.memo import per_sentence
from streams.classify.text.words import Words

_PARTIES = load("parties.json")
_PLACES = load("places.json")


class Mention(NamedTuple):
    """One name in the text: `party` if it can act, `place` if it locates (a tuple: cheap to build)."""

    start: int
    end: int
    text: str
    party: str | None
    kind: str  # country, demonym, capital, alias, group, leader, place, blocked
    place: str | None
    country: str | None


def _entries() -> dict[str, tuple[str | None, str, str | None, str | None]]:
    table: dict[str, tuple[str | None, str, str | None, str | None]] = {}
    for alias, canonical, country in _PLACES["places"] + _PLACES["towns"]:  # towns: generated, no overlap
        table[alias] = (None, "place", canonical, country)
    for name in _PARTIES["blockers"]:
        table[name] = (None, "blocked", None, None)
    for leader in _PARTIES["leaders"]:
        for alias in leader["names"]:
            table[alias] = (leader["party"], "leader", None, leader["party"])
    for group in _PARTIES["groups"]:
        for alias in group["aliases"]:
            table[alias] = (group["name"], "group", None, group["name"])
    for c in _PARTIES["countries"]:
        name = c["name"]
        for alias in c["aliases"]:
            table[alias] = (name, "alias", None, name)
        for dem in c["demonyms"]:
            table[dem] = (name, "demonym", None, name)
            if dem[-1].isalpha() and not dem.endswith(("s", "sh", "ch", "ese", "x", "z")):
                table.setdefault(dem + "s", (name, "demonym", None, name))
        for cap in c["capitals"]:
            table[cap] = (name, "capital", cap, name)
        if table.get(name, (None, ""))[1] != "demonym":
            table[name] = (name, "country", name, name)
    return table


_TABLE = _entries()
_FIELDS = {name: (name, *entry) for name, entry in _TABLE.items()}  # a Mention's fields after its span
_NAMES = Words(_TABLE, after="")  # each name a word of its own ("Russia-backed" names Russia)
_THE_NORTH = re.compile(r"\bthe North\b(?!\s+[A-Z]|-)")
CIVIL_CONFLICT = frozenset(_PARTIES["civil_conflict"])
STATE_ARMIES: dict[str, str] = _PARTIES["state_armies"]  # "Sudan" -> "SAF": whose unnamed soldiers
STATE_FORCES = frozenset(_PARTIES["state_forces"])  # groups that are a state's own forces
FOUGHT_STATES: dict[str, str] = _PARTIES["fought_states"]  # "BLA" -> "Pakistan": whose soldiers it kills
STATELESS = frozenset(_PARTIES["stateless"])
ALLIANCES = frozenset(_PARTIES["alliances"])
COUNTRY_NAMES = frozenset(c["name"] for c in _PARTIES["countries"])
# countries that are also people's names ("Chad", "Jordan"), and the generated towns ("Hassan", "Tyler")
_GIVEN_NAMES = frozenset(_PARTIES["given_names"]) | frozenset(alias for alias, _, _ in _PLACES["towns"])
_NAME_WORD = re.compile(
    r"(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June"
    r"|July|August|September|October|November|December)\b)[A-Z][a-z]+"
)
_WORD_BEFORE = re.compile(r"([A-Z][a-z]+)\s+$")
_OPENERS = frozenset(".!?:;(\"'\u201c\u2018")  # what may end the text before a sentence's first word


def _is_person(text: str, m: Mention, starts: set[int]) -> bool:
    """Is this country or town name part of a person's name ("Michael Jordan", "Chad Johnson")?

    A capitalised word that names no party right after it, or one right before it that
    does not open the sentence, makes it a given name or a surname.
    """
    after = m.end + 1
    if text[m.end : after] == " " and after not in starts and _NAME_WORD.match(text, after):
        return True
    before = _WORD_BEFORE.search(text, max(0, m.start - 30), m.start)
    if before is None or before.start(1) in starts:
        return False
    opener = text[: before.start(1)].rstrip()
    return bool(opener) and opener[-1] not in _OPENERS


@per_sentence
def mentions(text: str) -> tuple[Mention, ...]:
    """Party and place names in `text`, longest first where they overlap, in order."""
    out = [Mention._make((start, end, *_FIELDS[name])) for start, end, name in _NAMES.longest(text)]
    if any(x.text in _GIVEN_NAMES for x in out):
        starts = {x.start for x in out}
        out = [x for x in out if x.text not in _GIVEN_NAMES or not _is_person(text, x, starts)]
    if "the North" in text:
        for m in _THE_NORTH.finditer(text):
            if not any(x.start <= m.start() + 4 < x.end for x in out):
                out.append(Mention(*m.span(), m.group(), "North Korea", "alias", None, "North Korea"))
        out.sort(key=lambda x: x.start)  # finditer's matches come in order already
    return tuple(out)


def party_of(name: str) -> str | None:
    """The party a bare name stands for ("Seoul" -> South Korea), if it names one."""
    entry = _TABLE.get(name)
    return entry[0] if entry else None


def country_of(name: str) -> str | None:
    """The country a bare place, capital or country name lies in ("Bamako" -> Mali), if known."""
    entry = _TABLE.get(name)
    if entry is None or entry[1] not in ("place", "capital", "country"):
        return None
    return entry[3]
