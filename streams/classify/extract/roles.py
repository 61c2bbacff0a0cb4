"""Role cues around each party mention: the evidence the actor finder weighs.

"North Korean troops" is a force, "Iranian drones" and "from Iran" an origin, "to
Russia" a destination, "assist Russian forces" an ally, "against the Houthis" a
target, "Israeli strikes" an attacker, "Kyiv already has" a receiver, "Russia had
lost" a side with losses. Word lists live in data/roles.json. Mentions inside the
attribution ("South Korea's JCS said") are dropped: the reporter is rarely the actor.
"""

from __future__ import annotations

import re

from streams.classify.extract.parties import ALLIANCES, Mention, mentions
from streams.classify.extract.sources import attribution_spans
from streams.classify.text.gazetteer import load, trie_alternation
from streams.classify.text.memo import per_sentence

_CUES = load("roles.json")


def cue_words(key: str) -> str:
    """The cue list `key` of data/roles.json as one trie regex."""
    return trie_alternation(_CUES[key])


# Words between a mention and its cue are possessive ("++", "*+"): a space must follow each,
# so giving characters back can never help, and not trying saves most of the match's time.
_BETWEEN = r"(?:'s)?(?:\s+(?:[\w-]++|U\.S\.)){0,2}?\s+"
_FORCE_AFTER = re.compile(_BETWEEN + r"(?:" + cue_words("force_nouns") + r")\b")
_ASSET_AFTER = re.compile(_BETWEEN + r"(?:" + cue_words("asset_nouns") + r")\b")
_VICTIM_AFTER = re.compile(
    r"(?:'s)?(?:\s+(?!(?:"
    + cue_words("attack_nouns")
    + r")\b)[a-z][\w-]*+){0,1}?\s+(?:"
    + cue_words("victim_nouns")
    + r")\b(?!\s+(?:(?:have|had|has|also|reportedly|then|later|first)\s+)*(?:"
    + cue_words("active_after_victim")
    + r")\b)"  # "PKK members were killed", not "NPA guerrillas ambushed"
    # a group's members only with a verb of loss: "PKK members were neutralised", not "RSF fighters seized"
    r"|(?:'s)?\s+(?:" + cue_words("member_nouns") + r")\b(?:\s+[\w,'-]+){0,3}?\s+(?:died|fell|perished"
    r"|lost their lives|surrendered|(?:were|was|had been|have been|are|is)\s+(?:reported\s+|later\s+)?"
    r"['\"\u2018\u201c]?(?:killed|wounded|hurt|injured|neutrali[sz]ed|captured|detained|arrested|dead|missing"
    r"|shot dead))\b"
    r"|\s+(?:" + cue_words("victim_participles") + r")\b"  # "X killed", unless active: "X killed 12"
    r"(?!\s+(?:\d|(?:at least|more than|nearly|about|around|some|hundreds|dozens|thousands|scores|several"
    r"|many|two|three|four|five|six|seven|eight|nine|ten|the|a|an|people|civilians)\b))"
)
# "the CCMSR claimed to have killed ten soldiers", "TTP said it was behind an assault": the claimant struck
_CLAIMS_ATTACK = re.compile(
    r"(?:\s+[A-Za-z][\w-]*+){0,2}?\s+(?:has\s+|had\s+)?(?:claimed|claims|claim|said|says|say|announced)\s+"
    r"(?:that\s+)?(?:(?:it|they)\s+(?:had\s+|has\s+|have\s+)?|to\s+have\s+|responsibility\b)"
    r"(?:killed|hit|attacked|struck|shot|ambushed|downed|captured|was behind|were behind|carried out|launched"
    r"|for\b)?"
)
# "Israeli strikes", "Russia's air campaign", "Hamas' October 7 attack"
_ATTACK_AFTER = re.compile(
    r"(?:'s|')?(?:\s+(?:[a-z][\w-]*+|[A-Z][a-z]+ \d{1,2})){0,1}?\s+(?:" + cue_words("attack_nouns") + r")\b"
)
# "Iranian-made", "Russian missiles", "Turkish Akinci drones", "Chinese armoured vehicles"
_WEAPON_AFTER = re.compile(
    r"(?:-made|-designed|-built|-supplied|-produced)"
    r"|(?:\s+(?:(?!the\b|a\b|an\b|its\b|their\b)[a-z][\w-]*+(?<!ed)|armou?red|guided|unmanned)"
    r"|(?:\s+[A-Z0-9][\w-]*+){1,2})?\s+(?:" + cue_words("weapon_nouns") + r")\b"  # one word, or a model name
)
_RECEIVES = re.compile(
    r"\s+(?:(?:first|also|still|soon|reportedly|has|have|had|is|are|was|were|be|will|would|could|may|might"
    r"|set to|due to|expected to|decided to|plans to|planned to|agreed to|wants to|seeks to|sought to"
    r"|hopes to|intends to|moved to|is to|are to|to)\s+)*(?:" + cue_words("receive_verbs") + r")\b"
)
_STRIKES = re.compile(
    r"(?:'s\s+[a-z]+|\s+(?:" + cue_words("force_nouns") + r"))?\s+(?:(?:has|have|had|reportedly)\s+)*"
    r"(?:" + cue_words("attack_verbs") + r"|(?P<killed>killed)"
    r"|(?:tried|attempted|sought|tries|attempts) to (?:storm|attack|raid|seize|overrun|ambush|strike|take))\b"
)
# "Zelensky did not rule out ...", "Most Israelis reckon ...": who says or thinks, not who acts
_SPEAKS = re.compile(
    r"(?:'s\s+[a-z]+(?:\s+[a-z]+)?)?\s+(?:(?:also|has|have|had|did not|does not|do not|would not|could not"
    r"|cannot|can't|now|still|openly|publicly|privately|repeatedly)\s+)*"
    r"(?:" + cue_words("speech_verbs") + r")\b"
)
# "an Estonian military commander", "Ukrainian intelligence", "Lithuania's defence minister": who tells
_SPEAKER_AFTER = re.compile(r"(?:'s)?\s+(?:" + cue_words("speaker_nouns") + r")(?![\w-])")
_ORDERS_AFTER = re.compile(
    r"(?:'s\s+[a-z]+)?\s+(?:(?:has|have|had|also|first|already|recently|reportedly)\s+)*"
    r"(?:ordered|orders|has on order|have on order|placed an order|signed an order)\b"
)
_MODIFIER = re.compile(
    r"-(?:backed|brokered|led|linked|controlled|allied|aligned|sponsored|funded|run|held|occupied|annexed|flagged|based)\b"
)
# "beyond what Iran and others already deliver": the subject of a transfer verb is its origin
_SUPPLIES = re.compile(
    r"(?:\s+and\s+others)?\s+(?:(?:already|also|still|has|have|had|reportedly|allegedly)\s+)*"
    r"(?:deliver|delivers|delivered|supplies|supplied|ships|shipped|sells|sold|provides|provided|transfers"
    r"|transferred|handed|gave|exported|donated|pledged)\b"
)
_LOSES = re.compile(r"(?:'s)?\s+(?:(?:has|have|had|also|reportedly)\s+)*(?:lost|suffered|taken|sustained)\b")
_SKIP = frozenset(_CUES["skip_before"])
_NOT_ORIGIN = frozenset(_CUES["not_origin_after"])
_VICTIM_BEFORE = frozenset(_CUES["victim_before"])
_TRANSFERRED = frozenset(_CUES["transfer_participles"])
_DEALS = frozenset(_CUES["deal_nouns"])
_ARRIVED = frozenset({"arrived", "arrive", "arrives", "arriving", "landed", "delivered", "received"})
_THAT = re.compile(r"that\b(?<!\wthat)")  # "\bthat\b", written literal-first so `re` can skip to it
# "..., a Russian general said, adding that Moscow would ...": the speaker's further remark, not the
# statement's own that-clause, whose subject a forecast prefers
_ADDENDUM = re.compile(r"\badd(?:ing|ed|s)\s+$")
_ROLES = ("recipient", "origin", "agent", "target", "partner", "destination", "locin", "ally", "locative")
_ROLE_OF = {w: role for role in _ROLES for w in _CUES[role]}
_CUE_WORDS = _VICTIM_BEFORE.union(_ROLE_OF, ("of", "with", "from", "in", "at", "by"))  # others: no role
# "to Saudi Arabia and the UAE", "Russian and North Korean soldiers": the second shares the first's role
_COORDINATED = re.compile(r",?\s+(?:and|or|as well as)\s+(?:the\s+)?")
_FRONTIER_AFTER = re.compile(r"(?:'s)?\s+(?:frontier|border|borders|side of the border)\b")


def _role_before(text: str, start: int) -> str | None:
    """The role cue of the nearest content word before a mention ("to assist Russian forces" -> ally)."""
    words = text[max(0, start - 60) : start].split()
    i = len(words) - 1
    while i >= 0 and ((word := words[i]).lower() in _SKIP or word.endswith("'s")):
        i -= 1
    if i < 0:
        return None
    word = words[i].lower().strip(",;:")
    if word not in _CUE_WORDS:  # every word tested below is in _CUE_WORDS
        return None
    prev = words[i - 1].lower() if i else ""
    if word in _VICTIM_BEFORE:
        return "victim"
    if word == "of":
        return (
            "locative"
            if prev in ("out", "north", "south", "east", "west")
            else ("target" if prev == "invasion" else None)
        )
    if word == "with" and prev.startswith(("border", "frontier")):
        return "locative"
    if word == "with" and prev in _DEALS:
        return "dealer"  # "a deal with France": the seller of a supply, a mere partner otherwise
    if word == "from" and prev in _NOT_ORIGIN:
        return None
    if word in ("in", "at") and prev in _ARRIVED:
        return "destination"
    if word in ("to", "on") and prev in ("attributed", "blamed", "ascribed", "surrendered", "defected"):
        return (
            "agent"  # "strikes attributed to Jordan", "blamed on the ADF", "surrendered to the Arakan Army"
        )
    if word == "by":
        if prev in ("over", "on", "back") and i > 1:  # "handed over by China"
            prev = words[i - 2].lower()
        return "origin" if prev in _TRANSFERRED else "agent"
    return _ROLE_OF.get(word)


def _active_strike(text: str, m: Mention) -> bool:
    """Whether the mention strikes ("Russia struck", "JNIM militants killed"); "Russian killed" is a noun."""
    hit = _STRIKES.match(text, m.end)
    if hit is None:
        return False
    return not (hit.group("killed") and m.kind == "demonym" and hit.start("killed") == m.end + 1)


_POSSESSOR = re.compile(r"'s(?:\s+[a-z][\w-]*){0,2}\s+")


class Cand:
    """One party or place mention with its role cues; the cues after it are read on first use.

    Each category reads only a few cues (a forecast none of them), so most of the
    per-mention regexes never run.
    """

    __slots__ = ("_cues", "_force", "_text", "_victim", "after_that", "coordinated", "m", "role")

    def __init__(self, text: str, m: Mention, role: str | None, after_that: bool) -> None:
        self._text = text
        self.m = m
        self.role = role  # from the word before
        self.after_that = after_that
        self._force: int | None = None
        self._victim: bool | None = None
        self._cues: dict[str, bool] = {}  # the cues after the mention read so far (_cue)
        self.coordinated: Mention | None = None  # the party joined to this one by "and" (it shares the noun)

    @property
    def force(self) -> int:
        """2 personnel ("North Korean troops"), 1 assets ("Russian cargo ships"), 0."""
        if self._force is None:
            text = self._text
            end = self.coordinated.end if self.coordinated is not None else self.m.end
            force = 2 if _FORCE_AFTER.match(text, end) else 1 if _ASSET_AFTER.match(text, end) else 0
            if self.m.party in ALLIANCES and text.startswith("'s", end):
                force = 0  # "NATO's battlegroup" is led by a member, not by the alliance
            self._force = force
        return self._force

    @property
    def victim(self) -> bool:
        if self._victim is None:
            self._victim = bool(_VICTIM_AFTER.match(self._text, self.m.end)) or self.role == "victim"
        return self._victim

    def _cue(self, name: str, pattern: re.Pattern[str]) -> bool:
        """Does `pattern` match right after the mention? Read once per candidate: the rules and the actor
        chooser (actor_choice.py) ask the same candidate."""
        got = self._cues.get(name)
        if got is None:
            got = self._cues[name] = pattern.match(self._text, self.m.end) is not None
        return got

    @property
    def attack(self) -> bool:
        text, end = self._text, self.m.end
        return bool(_ATTACK_AFTER.match(text, end) or _CLAIMS_ATTACK.match(text, end)) or _active_strike(
            text, self.m
        )

    @property
    def origin(self) -> bool:
        return (
            self.role == "origin"
            or self._cue("weapon_after", _WEAPON_AFTER)
            or self._cue("supplies", _SUPPLIES)
        )

    @property
    def receives(self) -> bool:
        return self._cue("receives", _RECEIVES)

    @property
    def speaks(self) -> bool:
        """Says or thinks ("Seoul warned"), or names who does ("Ukrainian intelligence"): the source."""
        return self._cue("speaks", _SPEAKS) or self.tells

    @property
    def tells(self) -> bool:
        """Names a teller, not a doer: "Ukrainian intelligence", "an Estonian military commander"."""
        return self._cue("tells", _SPEAKER_AFTER)

    @property
    def orders(self) -> bool:
        """Places an order ("Serbia ordered three FK-3 systems"): a buyer in a supply, not in a deployment."""
        return self._cue("orders", _ORDERS_AFTER)

    @property
    def loses(self) -> bool:
        return self._cue("loses", _LOSES)


def _that_at(text: str) -> int:
    """Where the statement's that-clause starts (the text's length if none)."""
    that = _THAT.search(text)
    if that is None or _ADDENDUM.search(text, max(0, that.start() - 8), that.start()):
        return len(text)
    return that.start()


@per_sentence
def candidates(text: str) -> tuple[Cand, ...]:
    spans = attribution_spans(text)
    found = mentions(text)
    that_at = _that_at(text)
    out: list[Cand] = []
    for i, m in enumerate(found):
        if m.kind == "blocked" or (spans and any(s <= m.start < e for s, e in spans)):
            continue
        nxt = found[i + 1] if i + 1 < len(found) else None
        if (
            m.party
            and nxt
            and nxt.kind in ("group", "alias")
            and _POSSESSOR.fullmatch(text, m.end, nxt.start)
        ):
            continue  # "Sudan's paramilitary Rapid Support Forces": the possessor is not a party here
        if text.startswith("-", m.end) and _MODIFIER.match(text, m.end):
            continue
        role = _role_before(text, m.start)
        prev = out[-1] if out else None
        joined = prev is not None and prev.m.party and _COORDINATED.fullmatch(text, prev.m.end, m.start)
        if prev is not None and m.party and joined:
            role = role or prev.role
            prev.coordinated = m
        if m.party and _FRONTIER_AFTER.match(text, m.end):
            role = "locative"  # "its Belarusian frontier", "Russia's border": where, not whom
        out.append(Cand(text, m, role, m.start > that_at))
    return tuple(out)


def with_parties(text: str, cands: tuple[Cand, ...], extra: list[Mention]) -> tuple[Cand, ...]:
    """`cands` and a candidate for each mention of `extra` (a generic noun given its party), in order.

    Mentions inside the attribution are left out, as candidates() leaves them out.
    """
    spans = attribution_spans(text)
    that_at = _that_at(text)
    added = [
        Cand(text, m, _role_before(text, m.start), m.start > that_at)
        for m in extra
        if not any(s <= m.start < e for s, e in spans)
    ]
    return tuple(sorted((*cands, *added), key=lambda c: c.m.start)) if added else cands
