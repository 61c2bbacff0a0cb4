"""Which of a sentence's systems an event lists: the category decides.

The weapons of a sentence belong to its transfer: a deployment or a forecast that
shares the sentence with a supply lists none. A casualty or a forecast lists only
identified weapons, those named ("Shahed-136"), classed ("anti-tank missile") or
attributed ("Russian drones", "RSF drone attacks") or tested ("missile launches");
a bare "drone strike" says nothing about whose weapon. "The missiles" refers back to the article's last
system of that class ("ATACMS ... the missiles had been delivered").
"""

from __future__ import annotations

import re

from streams.classify.extract.parties import mentions
from streams.classify.extract.systems import BARE, NAMED, system_mentions
from streams.classify.model import Category
from streams.classify.text.lexicon import scan

LOOKBACK = 800  # chars of the article searched for the antecedent of "the missiles": a few sentences
_ANAPHOR = re.compile(r"\b(?:the|these|those|such)\s+$", re.I)
_OWNER = re.compile(r"(?:'s)?\s+$")
_COORD = re.compile(r"\s*(?:,|and|or|,\s*and)\s*$")
_TESTED = re.compile(r"\s+(?:launch|launches|tests?|test-firings?|test-launch(?:es)?)\b")  # missile tests

# The aircraft that carries a transfer is not what is transferred ("flown in aboard an Il-76").
_CARRIED_BY = re.compile(r"\b(?:aboard|on board|by|via|on|in|using)\s+(?:[\w'-]+\s+){0,4}$", re.I)
_FLIGHTS = re.compile(r"s?\s+(?:flights?|sorties|airlifts?)\b", re.I)

_SUPPLY_TAGS = frozenset({"sup_strong", "sup_move"})
_SUPPORT = re.compile(r"\b(?:support|aid|assistance)\b")  # "support for Russia with more artillery"

Found = tuple[tuple[int, int, str, int], ...]


def _antecedent(article: str, before: int, head: str) -> str | None:
    """The last system of class `head` named or classed in the article before offset `before`."""
    window = article[max(0, before - LOOKBACK) : before]
    best = None
    for _, _, canon, kind in system_mentions(window):
        if kind != BARE and canon.rsplit(" ", 1)[-1] == head:
            best = canon
    return best


def resolve(text: str, found: Found, article: str, start: int) -> Found:
    """Bare anaphoric mentions ("the missiles") replaced by their antecedent in the article."""
    out: list[tuple[int, int, str, int]] = []
    for s, e, canon, kind in found:
        if kind == BARE and " " not in canon and _ANAPHOR.search(text, max(0, s - 8), s):
            named = _antecedent(article, start, canon)
            if named:
                out.append((s, e, named, NAMED))
                continue
        out.append((s, e, canon, kind))
    return tuple(out)


def _identified(text: str, found: Found) -> list[str]:
    ends = [m.end for m in mentions(text) if m.party]
    out: list[str] = []
    previous = False
    prev_end = -1
    for s, e, canon, kind in found:
        owned = any(_OWNER.fullmatch(text, end, s) or end == s for end in ends)
        coordinated = previous and _COORD.fullmatch(text, prev_end, s) is not None
        previous = kind != BARE or owned or coordinated or _TESTED.match(text, e) is not None
        prev_end = e
        if previous and canon not in out:
            out.append(canon)
    return out


def unattributed(text: str) -> frozenset[str]:
    """The bare classes of a sentence that a casualty or forecast does not list ("a drone struck")."""
    found = system_mentions(text)
    return frozenset(canon for _, _, canon, kind in found if kind == BARE) - set(_identified(text, found))


def event_systems(text: str, found: Found, category: Category, with_supply: bool) -> tuple[str, ...]:
    """The systems listed for one event of `category` in sentence `text` (`found`: its mentions)."""
    if with_supply and (category == "forecast" or (category == "deployment" and _says_supply(text))):
        return ()
    if category in ("casualty", "forecast"):
        return tuple(_identified(text, found))
    if category == "supply":
        found = tuple(m for m in found if not _carrier(text, m))
    return tuple(dict.fromkeys(canon for _, _, canon, _ in found))


def _says_supply(text: str) -> bool:
    """Does the sentence say a transfer in words ("supplying", "delivered")? Then its weapons are the
    transfer's; a supply found without one (by the learned detector) leaves them to the deployment."""
    low = text.lower()
    return _SUPPORT.search(low) is not None or any(hit.tags & _SUPPLY_TAGS for hit in scan(low))


def _carrier(text: str, mention: tuple[int, int, str, int]) -> bool:
    """Is this transport aircraft the one that carries the transfer ("aboard Il-76 transports")?"""
    start, end, canon, _ = mention
    return canon.endswith("transport aircraft") and bool(
        _CARRIED_BY.search(text, max(0, start - 60), start) or _FLIGHTS.match(text, end)
    )
