"""Generic party nouns ("the paramilitaries", "the army", "the mission") resolved to a party named before.

Reporting names a party once and then refers to it by what it is: "The Rapid Support Forces
shelled El Fasher ... the paramilitaries killed 20 people". A generic noun stands for the
latest party of its kind named earlier in the sentence, else earlier in the article: a state
or its army for "the army" (a civil war's army before a foreign state), an armed group for
"the rebels", a mission or alliance for "the mission". The words live in data/roles.json (`generic_nouns`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from streams.classify.extract.parties import (
    ALLIANCES,
    CIVIL_CONFLICT,
    COUNTRY_NAMES,
    STATE_ARMIES,
    STATE_FORCES,
    Mention,
)
from streams.classify.text.gazetteer import load, trie_alternation

Kind = Literal["state", "group", "mission"]
_NOUNS: dict[str, list[str]] = load("roles.json")["generic_nouns"]
_KIND_OF = {noun: kind for kind, nouns in _NOUNS.items() for noun in nouns}
_GENERIC = re.compile(r"\b[Tt]he\s+(" + trie_alternation(list(_KIND_OF)) + r")(?![\w-])")
_MISSIONS = frozenset(
    g["name"] for g in load("parties.json")["groups"] if g.get("kind") in ("mission", "alliance")
)


def kind_of(party: str) -> Kind:
    """What a party is, as a generic noun would name it."""
    if party in COUNTRY_NAMES or party in STATE_FORCES:
        return "state"
    if party in ALLIANCES or party in _MISSIONS:
        return "mission"
    return "group"


def generic_mentions(text: str) -> list[Mention]:
    """Each generic party noun of `text`, as a mention with no party yet (kind "generic-<kind>")."""
    if "the " not in text.lower():
        return []
    return [
        Mention(m.start(1), m.end(1), m.group(1), None, "generic-" + _KIND_OF[m.group(1)], None, None)
        for m in _GENERIC.finditer(text)
    ]


def resolve(m: Mention, before: Sequence[str], recent: Sequence[str]) -> str | None:
    """The party `m` refers to: the latest of its kind named before it in the sentence, else in the article.

    `before`: parties named earlier in the sentence, in order; `recent`: the article's, latest first.
    """
    kind = m.kind.removeprefix("generic-")
    named = [p for p in (*reversed(before), *recent) if kind_of(p) == kind]
    if kind == "state":  # "the army" of a civil war's story is that war's army, not a foreign state's
        home = [p for p in named if p in STATE_FORCES or p in CIVIL_CONFLICT]
        return STATE_ARMIES.get(home[0], home[0]) if home else (named[0] if named else None)
    return named[0] if named else None
