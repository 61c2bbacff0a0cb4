"""The claimant of a toll: the party that says it did the killing, which is never the side that lost.

"The Taliban said their assault on an Afghan unit had killed 190 people", "JNIM said its fighters
killed 150 soldiers", "Boko Haram claimed responsibility for the attack, which killed 40 soldiers":
the speaker is the attacker (the counterpart), and the victims are the other side, or unknown when
the sentence does not name them (the guide's claims of responsibility; issue 16). Word lists live in
data/roles.json (`claim_verbs`, `clause_breaks`, `claimed_deeds`, `claimed_kills`).
"""

from __future__ import annotations

import re

from streams.classify.extract.parties import mentions
from streams.classify.extract.roles import cue_words
from streams.classify.extract.sources import source_party
from streams.classify.text.gazetteer import load
from streams.classify.text.memo import per_sentence

_CLAIM_VERBS = cue_words("claim_verbs")
_DEEDS = cue_words("claimed_deeds")  # what a party claims: "the attack", "Monday's bombing"
_VERB = r"\b(?P<verb>" + _CLAIM_VERBS + r")\s+"
# a passive ("its soldiers were killed") or a noun ("its commander's killing") is a loss, not a deed
_NOT_AFTER = "".join(
    f"(?<!{word} )" for word in ("were", "was", "been", "be", "being", "are", "is", "the", "'s")
)
# "said its fighters killed 47", "said their assault on ... had killed 190", "claims to have killed 300":
# the speaker's own deed, in its clause (no relative or time clause between, whose subject would be
# someone else), active (a passive "its soldiers were killed" is the speaker's loss) and with an object
# ("killed 150 soldiers").
_OWN_KILLING = re.compile(
    _VERB + r"(?:to\s+have\s+|"
    r"(?:(?:in|on)\s+[\w-]+(?:\s+[\w-]+)?\s+)?(?:that\s+)?(?:it|they|its|their)\b"
    r"(?:\s+(?!(?:" + cue_words("clause_breaks") + r")\b)[\w,'-]+){0,14}?"
    r"\s+" + _NOT_AFTER + r"(?:had\s+|has\s+|have\s+)?)"
    r"(?:"
    + cue_words("claimed_kills")
    + r")\b(?!\s*(?:by|in|on|at|when|during|after|while|as|and|or|near|[,.;]|$))"
)
# "claimed responsibility for the attack", "took credit for", "owned up to the ambush", "said it was behind
# Friday's assaults", "claimed Monday's bombing": the claimant struck. Not "claimed the Israeli strike"
# (another party's deed) nor "claimed the strike killed 30" (an allegation: a that-clause follows)
_OWN_DEED = re.compile(
    r"\b(?P<verb>(?:" + _CLAIM_VERBS + r"|took|accepted)\s+(?:responsibility|credit)\s+for"
    r"|owned\s+up\s+to"
    r"|(?:" + _CLAIM_VERBS + r")\s+(?:that\s+)?(?:it|they)\s+(?:was|were|had\s+been)\s+behind"
    r"|(?:" + _CLAIM_VERBS + r")\s+(?:that\s+)?(?:it|they)\s+(?:had\s+|has\s+|have\s+)?carried\s+out"
    r"|(?:claimed|claims)\s+(?=(?P<deed>(?:the|an|a|[A-Z][a-z]+'s)\s+(?:[\w-]+\s+){0,2}?(?:"
    + _DEEDS
    + r")\b)(?!\s+(?:had\s+|has\s+|have\s+)?(?:[a-z]+ed|hit|struck|left|was|were|is|are)\b)))"
)
# "an attack the ELN later claimed", "an ambush claimed by the TTP": the claimant is named after the deed
_DEED_CLAIMED = re.compile(
    r"\b(?:" + _DEEDS + r")\s+(?:(?P<by>(?:that\s+|which\s+)?(?:was\s+)?(?:later\s+)?claimed\s+by)"
    r"\s+|that\s+|which\s+)?(?:the\s+)?(?=[A-Z])"
)
_CLAIMED_AFTER = re.compile(
    r"(?:\s+[\w-]+){0,2}?\s+(?:later\s+|also\s+|quickly\s+)?(?:claimed|said\s+it\s+had\s+carried\s+out)\b"
)
# every claim has one of these: the claimed kills of roles.json, or a word of the other patterns
_WORDS = (
    *load("roles.json")["claimed_kills"],
    "claim",
    "behind",
    "carried out",
    "responsib",
    "credit",
    "owned up",
)
_BEFORE_VERB = re.compile(r"(?:\s+[\w-]+){0,2}?\s+(?:has\s+|had\s+|also\s+)?")  # "JNIM militants said"


def _names_party(text: str, span: tuple[int, int]) -> bool:
    """Whether a party is named within `span` ((-1, -1): none)."""
    start, end = span
    return start >= 0 and any(m.party and start <= m.start < end for m in mentions(text))


@per_sentence
def claimant(text: str) -> str | None:
    """The party that says it killed or struck in `text`, or None: the party named just before the
    claim's verb, else the attribution's party; for "an attack X later claimed", X."""
    if not any(word in text for word in _WORDS):
        return None  # most sentences: one scan for the words every claim has
    claim = _OWN_KILLING.search(text) or next(
        (c for c in _OWN_DEED.finditer(text) if not _names_party(text, c.span("deed"))), None
    )
    if claim is not None:
        verb = claim.start("verb")
        for m in reversed(mentions(text)):
            if m.party and m.end <= verb and _BEFORE_VERB.fullmatch(text, m.end, verb):
                return m.party
        return source_party(text)
    if "claim" not in text:
        return None
    for deed in _DEED_CLAIMED.finditer(text):
        after = next((m for m in mentions(text) if m.party and m.start == deed.end()), None)
        if after is not None and (deed.group("by") or _CLAIMED_AFTER.match(text, after.end)):
            return after.party
    return None
