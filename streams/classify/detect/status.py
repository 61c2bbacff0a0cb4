"""The status of a claim: reported, planned, possible, expected or denied.

Cues act on the trigger they stand near (mostly just before it), so one sentence
can report a casualty and hedge a deployment. Precedence, strongest first:
a party's denial, a hedge on a past event ("may have sent", "believed to have"),
an explicit expectation, a plan or decision, a bare modal, else reported.
Announced packages and sales are planned until something says they arrived.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from streams.classify.detect.forecast import forecast_status
from streams.classify.model import Category, Status
from streams.classify.text.lexicon import Hit

BEFORE = 80
AFTER = 30
_HEADLINE_TO = re.compile(r"\bto (?:[a-z]+ ){0,2}$")
_IS_TO = re.compile(r"\b(?:is|are|was|were) (?:due |about |set |yet )?to (?:[a-z]+ ){0,2}$")
_DEALS = re.compile(r"\b(?:package|packages|sale|sales|deal|deals)$")
_PRE: tuple[tuple[str, Status], ...] = (
    ("st_hedge", "possible"),
    ("st_expected", "expected"),
    ("st_planned", "planned"),
    ("st_modal", "possible"),
)
_POST = frozenset({"st_modal", "st_expected", "st_hedge"})


def trigger_status(hits: Sequence[Hit], trigger: Hit, low: str, headline: bool, category: Category) -> Status:
    """Status of the claim carried by `trigger`; `low` is the lowercased article text.

    A denial covers the whole sentence: the caller (pipeline._detect) settles it before asking.
    """
    status = _cue_status(_cues_near(hits, trigger)) or _implied_status(trigger, low, headline, category)
    if category == "casualty" and status in ("planned", "expected"):
        return "reported"
    return status


def _cues_near(hits: Sequence[Hit], trigger: Hit) -> set[str]:
    """The tags of the status cues that govern `trigger`: before it, or after it for the post cues.

    A clause break between a cue and the trigger keeps the cue out.
    """
    near: set[str] = set(trigger.tags & {"st_planned"})
    t = trigger.start
    window = [h for h in hits if t - BEFORE <= h.start <= trigger.end + AFTER]  # cues act nearby only
    breaks = [h.start for h in window if "clause" in h.tags]
    for h in window:
        if breaks and any(min(h.start, t) < b < max(h.start, t) for b in breaks):
            continue
        if h.start < t:
            near |= h.tags
        elif trigger.end <= h.start:
            near |= h.tags & _POST
    return near


def _cue_status(near: set[str]) -> Status | None:
    """The status of the first cue, in _PRE's order of precedence, among `near`."""
    return next((cue_status for tag, cue_status in _PRE if tag in near), None)


def _implied_status(trigger: Hit, low: str, headline: bool, category: Category) -> Status:
    """With no cue: "planned" after an infinitive ("is to send") or for a deal, else "reported"."""
    before = max(0, trigger.start - 40)
    to_verb = _IS_TO.search(low, before, trigger.start) or (
        headline and _HEADLINE_TO.search(low, before, trigger.start)
    )
    if to_verb or (category == "supply" and _DEALS.search(trigger.term)):
        return "planned"
    return "reported"


_CATEGORY_TAG = {"deployment": "dep_", "supply": "sup_", "casualty": "cas_"}
_ANCHOR_TAGS = frozenset({"force", "asset", "dual", "materiel", "cargo"})


def fallback_status(
    hits: Sequence[Hit], tags: frozenset[str], category: Category, low: str, *, headline: bool, end: int
) -> Status:
    """The status of a category the learned detector found where no rule fired.

    The sentence's own cues decide as for a trigger: a denial covers the sentence, a
    forecast's likelihood words give expected or possible, else the modal and tense cues
    before the category's own trigger words, or, with none, before the end of the first
    clause that names a force or weapon ("Russian units will be regrouping near X, ...").
    """
    if "st_denied" in tags:
        return "denied"
    if category == "forecast":
        return forecast_status(hits)
    prefix = _CATEGORY_TAG[category]
    anchor = next((h for h in hits if any(t.startswith(prefix) for t in h.tags)), None)
    if anchor is None:
        # a sentence may keep no hit at all ("May" the month is dropped): then the sentence's end
        noun = next((h for h in hits if h.tags & _ANCHOR_TAGS), hits[0] if hits else None)
        comma = low.find(",", noun.end, end) if noun is not None else -1
        at = comma if comma >= 0 else end
        anchor = Hit(at, at, "", frozenset())
    return trigger_status(hits, anchor, low, headline, category)
