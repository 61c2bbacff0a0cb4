"""Which of the four categories a sentence carries, from its lexicon hits.

A category needs a trigger (a transfer, movement or harm word) in a military
sense: weak triggers need a force or materiel noun within a short window,
strong ones only need military context and no non-military guard word. A trigger
right after a negation or inside an if/unless clause does not count.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from streams.classify.model import Category
from streams.classify.text.lexicon import MATERIEL, MILITARY, Hit

WINDOW = 60  # chars between a weak trigger and the noun that makes it military
_NEG_GAP = 14  # chars between a negation and the trigger it negates
_COND_GAP = 50  # chars between "if"/"unless" and a hypothetical trigger

_FORCES = frozenset({"force", "asset"})
_DEPLOYABLE = frozenset({"force", "asset", "dual"})
_PERSONS = frozenset({"person", "force"})
# "station" is a verb after "to" or a modal ("will station 900 troops"), else a railway or police station
_VERB_BEFORE = re.compile(r"\b(?:to|will|would|could|may|might|and|not)\s+$")
# "troops are in Syria", "fighters were in the country": a place, not "in talks" or "in shock"
_PLACE = r" (?:the (?:country|region|area|territory|enclave|city|capital)\b|(?:the )?[A-Z][a-z])"
_PLACE_AFTER = re.compile(_PLACE)
# "Rwanda has up to 4,000 troops in eastern Congo": only counts, quantifiers and names between
_HELD = re.compile(
    r"(?:\s+(?:[\d,.]+|about|around|some|up to|nearly|more than|roughly|an estimated|several|thousands of"
    r"|hundreds of|dozens of|its|their|the|a|an|additional|few|[A-Z][\w-]*))*\s+"
)
# where a clause's subject starts: the sentence's start, or after "that" or a verb of saying
_CLAUSE_START = re.compile(
    r"(?:^|[.!?\n\"“”]\s*|\b(?:that|says|said|say|warned|warn|argued|argue|believes|believe) )$"
)
# after "never <verb>": a record, not a negation
_SO_MANY = re.compile(r"(?: up| out| in)? (?:so many|as many|this many|so much|as much|so large|such)\b")
_TOPIC_BEFORE = re.compile(r"\b(?:over|about)\s$")
_HYPOTHETICAL = re.compile(r"\b(?:could|would|might)\b")
# ", which has been in", ", who are based in": a relative clause before a presence
_RELATIVE = re.compile(r", (?:which|who|that)(?: (?:has|have|had|is|are|was|were))?(?: been)? $")
# what may stand between that force and the ", which": nothing, or where it is ("in Lithuania")
_ANTECEDENT_GAP = 40  # chars past which no earlier hit can be that force
_ANTECEDENT_TAIL = re.compile(r"(?: (?:in|at|from) (?:the )?[A-Z][\w'-]*(?: [A-Z][\w'-]*){0,3})?")
_IN_PLACE = re.compile(r" (?:in|at|inside)(?:(?: \w+ern)? (?:part|parts) of)?(?: \w+ern)?" + _PLACE)


class Trigger(NamedTuple):
    category: Category
    rule: str
    hit: Hit


def _clause_break(hits: Sequence[Hit], lo: int, hi: int) -> bool:
    """A clause break (", that", ", which", ";" ...) starts strictly between offsets lo and hi."""
    return any("clause" in h.tags and lo < h.start < hi for h in hits)


def _same_clause(hits: Sequence[Hit], a: Hit, b: Hit) -> bool:
    return not _clause_break(hits, min(a.start, b.start), max(a.start, b.start))


def _near(hits: Sequence[Hit], i: int, kinds: frozenset[str], before: int, after: int) -> Hit | None:
    """The nearest hit of one of `kinds`, in the same clause, within `before` chars left or `after` right."""
    anchor = hits[i]
    best: Hit | None = None
    breaks = [h.start for h in hits if "clause" in h.tags]  # _same_clause, with the breaks found once
    for j, h in enumerate(hits):
        if j == i or h.tags.isdisjoint(kinds):
            continue
        if breaks and any(min(h.start, anchor.start) < b < max(h.start, anchor.start) for b in breaks):
            continue
        inside = anchor.end <= h.start <= anchor.end + after or anchor.start - before <= h.end <= anchor.start
        if inside and (best is None or abs(h.start - anchor.start) < abs(best.start - anchor.start)):
            best = h
    return best


def _blocked(hits: Sequence[Hit], i: int, self_denial: bool, text: str) -> bool:
    """Is hits[i] negated by a word just before it, or hypothetical (inside an if/unless clause)?"""
    h = hits[i]
    for j in range(i - 1, -1, -1):
        p = hits[j]
        if "not_only" in p.tags and h.start - p.end <= _NEG_GAP + 10:
            return False
        if "neg_local" in p.tags and h.start - p.end <= _NEG_GAP:
            if p.term == "never" and _SO_MANY.match(text, h.end):
                return False  # "had never called up so many reservists": it did, more than ever
            return not self_denial
        if "cond" in p.tags and h.start - p.end <= _COND_GAP:
            return True
        if h.start - p.end > _COND_GAP:
            break
    return False


def _debated(hits: Sequence[Hit], i: int, text: str) -> bool:
    """A gerund that is the subject of a hypothetical names a course of action, not an event:
    "sending more troops would be a mistake", "worried that supplying F-16s could provoke Moscow"."""
    h = hits[i]
    if not h.term.endswith("ing"):
        return False
    if _TOPIC_BEFORE.search(text, max(0, h.start - 8), h.start):
        return True  # "an ultimatum over supplying Taurus missiles", "talks about sending troops"
    if not _CLAUSE_START.search(text, max(0, h.start - 12), h.start):
        return False
    modal = _HYPOTHETICAL.search(text, h.end, h.end + _COND_GAP + 30)
    return modal is not None and not _clause_break(hits, h.start, modal.start())


def _shared(hits: Sequence[Hit], i: int) -> list[Trigger]:
    """send/move/support: the object decides: forces are deployed, materiel is supplied.

    Moving weapons without cargo words (containers, shipments) is repositioning, a deployment.
    """
    h = hits[i]
    kinds: set[str] = set()
    for x in hits:
        if (h.end <= x.start <= h.end + WINDOW or h.start - 40 <= x.end <= h.start) and _same_clause(
            hits, h, x
        ):
            kinds |= x.tags
    moving = h.term.startswith("mov")
    cargo = "cargo" in kinds
    found: list[Trigger] = []
    if kinds & (_FORCES | {"front"}) or (moving and kinds & {"dual", "materiel"} and not cargo):
        found.append(Trigger("deployment", "dep.send", h))
    if cargo or (not moving and kinds & {"materiel", "dual"}):
        found.append(Trigger("supply", "sup.send", h))
    return found


def _casualty(hits: Sequence[Hit], i: int, tags: frozenset[str]) -> bool:
    """Weak harm words (losses, lost, missing, captured) need a person, losses at least a war."""
    h = hits[i]
    if h.term.startswith("loss"):
        return bool(_near(hits, i, _PERSONS, WINDOW, WINDOW)) or "conflict" in tags
    if h.term.startswith("captur"):
        return bool(_near(hits, i, _PERSONS, 0, WINDOW))
    return bool(_near(hits, i, _PERSONS, WINDOW, WINDOW))


TRIGGER_TAGS = frozenset(
    {
        "dep_strong",
        "dep_move",
        "dep_use",
        "dep_presence",
        "dep_have",
        "dep_station",
        "shared_move",
        "sup_strong",
        "sup_move",
        "cas_strong",
        "cas_weak",
    }
)


def _deployment(hits: Sequence[Hit], i: int, tags: frozenset[str], military: bool, text: str) -> str | None:
    t = hits[i].tags
    if "dep_strong" in t and military and ("guard_dep" not in tags or tags & _FORCES):
        return "dep.strong"
    if "dep_move" in t and _near(hits, i, _DEPLOYABLE, WINDOW, WINDOW):
        return "dep.move"
    if "dep_use" in t and _near(hits, i, _PERSONS - {"person"}, 0, WINDOW):
        return "dep.use"
    if "dep_station" in t and _near(hits, i, _DEPLOYABLE, 0, WINDOW):
        start = hits[i].start
        return "dep.move" if _VERB_BEFORE.search(text, max(0, start - 8), start) else None
    if "dep_have" in t:
        return _holds_forces(hits, i, text)
    if "dep_presence" in t and (_near(hits, i, _DEPLOYABLE, WINDOW, 0) or _antecedent(hits, i, text)):
        return "dep.presence" if _PLACE_AFTER.match(text, hits[i].end) else None
    return None


def _holds_forces(hits: Sequence[Hit], i: int, text: str) -> str | None:
    """A party has, keeps or maintains forces in a place: "dep.presence", or None."""
    force = _near(hits, i, _FORCES, 0, 40)
    if force is None or "neg_local" in force.tags or not _HELD.fullmatch(text, hits[i].end, force.start):
        return None  # "has no combat troops in Ukraine" holds none
    return "dep.presence" if _IN_PLACE.match(text, force.end) else None


def _antecedent(hits: Sequence[Hit], i: int, text: str) -> Hit | None:
    """The force a relative clause is about: "the battlegroup in Lithuania, which has been in the
    country" (the clause break keeps `_near` from looking past ", which")."""
    start = hits[i].start
    relative = _RELATIVE.search(text, max(0, start - 30), start)
    if relative is None:
        return None
    comma = relative.start()
    for h in reversed(hits[:i]):
        if h.end > comma:
            continue
        if h.tags & _DEPLOYABLE and _ANTECEDENT_TAIL.fullmatch(text, h.end, comma):
            return h
        if comma - h.end > _ANTECEDENT_GAP:
            return None
    return None


def _supply(
    hits: Sequence[Hit], i: int, tags: frozenset[str], military: bool, has_systems: bool
) -> str | None:
    t = hits[i].tags
    if "guard_sup" in tags and "materiel" not in tags:
        return None
    if "sup_strong" in t and (military or "cargo" in tags or "arms" in t):  # arming is military in itself
        return "sup.strong"
    if "sup_move" in t and (has_systems or _near(hits, i, MATERIEL, WINDOW, WINDOW)):
        return "sup.move"
    return None


def find_triggers(
    hits: Sequence[Hit],
    tags: frozenset[str],
    has_systems: bool,
    article_military: bool,
    *,
    self_denial: bool = False,
    text: str = "",
) -> list[Trigger]:
    """Every trigger that counts in one sentence, in text order; `tags` is the union of the hits' tags.

    Strong triggers take their military sense from the article when the sentence
    has none ("The Gulf state denies ... supplies"); guards still apply. `text` is the
    article as the hits index it, in its own case (a presence needs a place after it).
    """
    military = bool(tags & MILITARY) or has_systems or article_military
    harm_ok = "neg_cas" not in tags and "guard_cas" not in tags
    out: list[Trigger] = []
    for i, h in enumerate(hits):
        if h.tags.isdisjoint(TRIGGER_TAGS) or _blocked(hits, i, self_denial, text) or _debated(hits, i, text):
            continue
        rule = _deployment(hits, i, tags, military, text)
        if rule:
            out.append(Trigger("deployment", rule, h))
        if "shared_move" in h.tags:
            out.extend(_shared(hits, i))
        rule = _supply(hits, i, tags, military, has_systems)
        if rule:
            out.append(Trigger("supply", rule, h))
        if harm_ok and ("cas_strong" in h.tags or ("cas_weak" in h.tags and _casualty(hits, i, tags))):
            out.append(Trigger("casualty", "cas.strong" if "cas_strong" in h.tags else "cas.weak", h))
    return out
