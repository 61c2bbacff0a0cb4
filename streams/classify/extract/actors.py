"""Who acts and who is acted upon: the event's actor and counterpart as short party names.

The category decides how the role cues of roles.py are read: the supplier and
recipient of a transfer, the force and its host of a deployment, the side suffering
a casualty and the side inflicting it, the party whose move a forecast predicts.
What the sentence leaves implicit comes from the article's earlier actor, from the
attribution ("Pakistan's military said 11 of its soldiers ..."), or from the maker
of a named system ("the Typhon deployment" -> United States).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from streams.classify.extract.claimant import claimant
from streams.classify.extract.generic import generic_mentions, resolve
from streams.classify.extract.parties import CIVIL_CONFLICT, FOUGHT_STATES, STATE_ARMIES, STATELESS, mentions
from streams.classify.extract.roles import Cand, candidates, cue_words, with_parties
from streams.classify.extract.sources import MAX_CHARS, source_party
from streams.classify.extract.systems import extract_systems, system_origin
from streams.classify.model import Category
from streams.classify.text.gazetteer import load

_DENIED_RECEIVING = re.compile(  # searched only in texts with "den" or "reject" (_denies_receiving)
    r"\b(?:denied|denies|deny|rejected|rejects)\s+(?:ever\s+)?(?:receiving|buying|getting|obtaining|acquiring|importing)\b"
)
_ORDERS = re.compile(r"(?:\s+[\w-]+){1,4}?\s+(?:" + cue_words("attack_nouns") + r")\b")
_BACKREF = re.compile(r"\b(?:that|said)\s+(?:it|its|they|their|the country)\b")  # see _refers_back
_ANAPHOR = re.compile(r"^(?:These|This|Those|They|It|Such)\b")
_CIVILIANS = re.compile(r"\bcivilians?\b")
_PEOPLE = re.compile(r"\b(?:" + cue_words("civilian_nouns") + r")\b")  # data/roles.json: people, not forces
_DEAD = re.compile(r"\b(?:" + cue_words("dead_nouns") + r")\b")  # "the death toll from ...": people, unnamed
_PLACE_ROLES = ("locin", "target", "locative")
# (actor, country): a place in that country is enemy ground to the actor, not its host (data/hosts.json)
_HOSTILE = frozenset(
    (p["actor"], p["host"]) for p in load("hosts.json")["pairs"] if p["relation"] == "hostile"
)
# A party's noun phrase (one to three words, no verb of its own) and then an active attack verb with
# an object, or a list of its strikes: "'s military aircraft bombed", " guerrillas ambushed", " soldiers
# shot her", " air, drone and artillery strikes"; not a reduced relative ("servicemen killed in Kabul").
_NOT_VERB = r"(?!(?:were|was|are|is|be|been|being|had|have|has|who|that|which|of|in|on|at|to|from|by|with)\b)"
_STRIKES_AFTER = re.compile(
    r"(?:'s)?(?:\s+"
    + _NOT_VERB
    + r"(?!(?:and|or|but|then)\b)[a-z][\w-]*+){1,3}?\s+(?:"
    + cue_words("attack_verbs")
    + r"|bombed|shelled|ambushed|fired|opened fire|boarded|killed|struck|raided|stormed|shot|attacked)\b"
    r"(?!\s+(?:in|at(?!\s+(?:least|most)\b)|on|by|during|near|when|while|as|after|and|or|last|this|since|for"
    r"|from|over)\b|[,.;])"
    r"|,\s[^,.;]{1,40},\s+(?:bombed|shelled|ambushed|struck|raided|stormed|attacked)\b"  # "X, once, bombed"
    r"|(?:\s+" + _NOT_VERB + r"[a-z][\w-]*+,?){1,4}?\s+(?:strikes|airstrikes|air strikes|raids|attacks"
    r"|bombardment|shelling)\b"
)
# The kinds of attacker the labels name when no party is known (data/roles.json `attacker_nouns`),
# as the subject of an attack verb or the agent of a passive: "pirates snatched", "killed by gunmen"
_ATTACKER_NOUN = re.compile(
    r"(?:\b(?P<noun>"
    + cue_words("attacker_nouns")
    + r")\b(?:\s+(?!(?:were|was|been|are|is|had|have)\b)[\w-]+){0,3}?\s+(?:"
    + cue_words("attack_verbs")
    + r"|killed|kidnapped|snatched|boarded|opened fire|struck|massacred)\b)"
    r"|(?:\bby\s+(?:suspected\s+|armed\s+|unidentified\s+|unknown\s+)?(?P<agent>"
    + cue_words("attacker_nouns")
    + r")\b)",
    re.I,
)
_CONDITION = re.compile(r"\b(?:[Ii]f|[Uu]nless|[Oo]nce|[Ss]hould)\b")  # a forecast's condition, to its comma
_SEAFARERS = re.compile(r"\b(?:crew|crews|crewmen|crew members|sailors|seafarers|mariners)\b")
_MERCHANT_SHIP = re.compile(
    r"\b(?:cargo ship|bulk carrier|tanker|freighter|merchant|container ship|commercial (?:ship|vessel)s?"
    r"|vessel|ship|carrier)\b"
)
_WARSHIP = re.compile(
    r"\b(?:warship|destroyer|frigate|navy|naval|corvette|submarine|aircraft carrier)\b", re.I
)
_STATE_MEN = (
    r"(?:soldiers?|troops|servicem[ae]n|officers?|policem[ae]n|police(?:\s+officers)?|border guards|gendarmes"
    r"|conscripts|(?:military|security)\s+personnel|security forces|paramilitar(?:y|ies)|army|regime)"
)
_OWN_MEN = re.compile(r"\b(?:its|their|our)\s+(?:own\s+)?" + _STATE_MEN)
# A state's men hit, with no side named: "ten soldiers fell", "killing six soldiers", "cost the army eight"
_STATE_HIT = re.compile(
    r"\b(?:killed|killing|kills|wounding|wounded|injuring|left|cost|captured|capturing)\s+(?:[\w,-]+\s+){0,4}?"
    + _STATE_MEN
    + r"\b|\b"
    + _STATE_MEN
    + r"\b,?(?:\s+[\w,-]+){0,8}?\s+(?:died|fell|perished|lost their lives|(?:were|was|had been|have been)\s+"
    r"(?:killed|wounded|hurt|injured|missing|captured|taken|abducted|snatched|ambushed|shot|gunned down"
    r"|beheaded|executed|slain)|surrendered"
    r"|gave themselves up|laid down|dead)\b"
)
_OBJECT = re.compile(
    r"\b(?!and\b|or\b|but\b)[a-z]+\s+(?:(?:the|northern|southern|eastern|western|central)\s+)*$"
)


_STATE_MEN_NAMED = re.compile(r"\b" + _STATE_MEN + r"\b")


def who_is_named(text: str) -> tuple[bool, bool]:
    """(civilians or people, soldiers or police): whom the sentence speaks of, named or not."""
    lowered = text[:1].lower() + text[1:]
    people = ("civilian" in text and _CIVILIANS.search(text) is not None) or _PEOPLE.search(
        lowered
    ) is not None
    return people, _STATE_MEN_NAMED.search(lowered) is not None


def _first(
    cands: Sequence[Cand], *, exclude: str | None = None, roles: tuple[str | None, ...] | None = None
) -> str | None:
    for c in cands:
        if c.m.party and c.m.party != exclude and (roles is None or c.role in roles):
            return c.m.party
    return None


def _subject(cands: Sequence[Cand], skip: tuple[str, ...], *, receivers: bool = False) -> str | None:
    """The first party not cued as a recipient, target or mere place, preferring a that-clause."""
    free = [c for c in cands if c.m.party and c.role not in skip and (receivers or not c.receives)]
    later = [c for c in free if c.after_that]
    pick = later or free
    return pick[0].m.party if pick else None


_FACED = ("target", "partner", "dealer")  # whom a forecast's actor faces
_FORECAST_REACHED = ("destination", "recipient")  # else whom its move would reach: "into Poland"
_NOT_ACTOR = (
    "recipient",
    "destination",
    "target",
    "partner",
    "dealer",
    "locative",
    "ally",
    "locin",
    "victim",
    "agent",
)


# In the conditions below, plain fields are tested before the cues that run a regex
# (origin, receives, force, attack): the cheap test settles most candidates.
def _supply(cands: Sequence[Cand]) -> tuple[str | None, str | None]:
    origin = next(
        (c.m.party for c in cands if c.m.party and c.role not in ("recipient", "destination") and c.origin),
        None,
    ) or next((c.m.party for c in cands if c.m.party and c.role == "dealer"), None)  # "a deal with France"
    actor = origin or _subject([c for c in cands if not c.orders], _NOT_ACTOR)
    recipient = next(
        (
            c.m.party
            for c in cands
            if c.m.party
            and c.m.party != actor
            and (c.role in ("recipient", "destination", "ally") or c.receives or c.orders)
        ),
        None,
    )
    other = next(
        (
            c.m.party
            for c in cands
            if c.m.party
            and c.m.party != actor
            and c.role not in ("locative", "locin", "dealer")
            and not c.origin
        ),  # not a second maker: "Turkish drones and Chinese vehicles" name no recipient
        None,
    )
    held = next(  # where the weapons now are: "due in Cyprus", "in Ukrainian hands"
        (c.m.party for c in cands if c.m.party and c.m.party != actor and c.role == "locin"),
        None,
    )
    return actor, recipient or other or held


def _deployment(text: str, cands: Sequence[Cand]) -> tuple[str | None, str | None]:
    """(force, host): the party whose forces move, and the ally, place, target or partner they meet."""
    actor = _deployed(cands)
    return actor, _deployment_counterpart(text, cands, actor)


def _deployed(cands: Sequence[Cand]) -> str | None:
    """A party with troops before one with weapons ("North Korean troops"), else the agent or subject."""
    forces = [c for c in cands if c.m.party and c.role not in ("ally", "target", "partner") and c.force]
    if forces:
        return max(forces, key=lambda c: c.force).m.party  # the first of the strongest, as a stable sort
    agent = next((c.m.party for c in cands if c.role == "agent" and c.m.party), None)
    return agent or _subject(cands, _NOT_ACTOR)


def _deployment_counterpart(text: str, cands: Sequence[Cand], actor: str | None) -> str | None:
    """The ally, else the destination, else a target or partner, else the country left, else a party
    joined to the actor by "and".

    Any other party is not the counterpart: "EU warships in an area where Houthi forces attacked" names
    a party of another clause, and the labels leave such parties null.
    """
    return (
        next((c.m.party for c in cands if c.role == "ally" and c.m.party and c.m.party != actor), None)
        or _destination(cands, actor)
        or _first(cands, exclude=actor, roles=("target", "partner", "dealer"))
        or _departed(text, cands, actor)
        or next((p for p in _fellows(cands, actor) if p != actor), None)
    )


def _fellows(cands: Sequence[Cand], actor: str | None) -> list[str]:
    """The parties joined to the actor by "and" ("Russian and North Korean soldiers", "Germany and
    Lithuania signed"): the one side the other meets."""
    out: list[str] = []
    for c in cands:
        if c.coordinated is not None and actor is not None and actor in (c.m.party, c.coordinated.party):
            out.extend(p for p in (c.m.party, c.coordinated.party) if p)
    return out


# the words before a place the forces leave: "flew out of Niamey", "have left Nur-Sultan"
_LEAVING = re.compile(
    r"\b(?:out of|left|leave|leaves|leaving|quit|quits|quitting|departed|departing|back from|home from)"
    r"\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$"
)


def _departed(text: str, cands: Sequence[Cand], actor: str | None) -> str | None:
    """The country the forces leave (a withdrawal's host): "flew 60 soldiers out of Niamey" -> Niger."""
    for c in cands:
        country = c.m.party or c.m.country
        if (
            country
            and country != actor
            and country not in STATELESS
            and ((actor, country) not in _HOSTILE or c.m.party is not None)
            and _LEAVING.search(text, max(0, c.m.start - 40), c.m.start)
        ):
            return country
    return None


def _destination(cands: Sequence[Cand], actor: str | None) -> str | None:
    """The first party or country the forces go to or are in, other than their own and not stateless.

    A town of an enemy's ("Russian battalions near Izyum") is not a host: the labels leave that null.
    """
    for c in cands:
        country = c.m.party or c.m.country
        if (
            c.role in ("destination", "locin")
            and country
            and country != actor
            and country not in STATELESS
            and ((actor, country) not in _HOSTILE or c.m.party is not None)
        ):
            return country
    return None


def _casualty(text: str, cands: Sequence[Cand], home: str | None) -> tuple[str | None, str | None]:
    """(victim, attacker): the side that suffers is the actor, the side that strikes the counterpart."""
    attacker = _striker(text, cands)
    victim = _victim(text, _without_allies(text, cands, attacker), attacker, home)
    if attacker is None or attacker == victim:
        attacker = _party_before_attack(text, cands, victim) or _first(
            cands, exclude=victim, roles=("target", "partner", "dealer")
        )
    if attacker is None:
        attacker = claimant(text) or _unnamed_attackers(text)
    return victim, attacker


# the words between two parties that strike together: "Wagner fighters and the Malian army killed"
_JOINED = re.compile(r"(?:\s+[\w'-]+){0,2}?\s*(?:,|\s+and|\s+alongside|\s+with)\s+(?:the\s+)?")


def _without_allies(text: str, cands: Sequence[Cand], attacker: str | None) -> Sequence[Cand]:
    """The candidates less a party joined to the attacker as its fellow subject ("Wagner fighters and the
    Malian army killed some 500 people in Moura": Wagner struck too, it did not suffer)."""
    if attacker is None:
        return cands
    starts = [c.m.start for c in cands if c.m.party == attacker]
    return [
        c
        for c in cands
        if c.m.party in (None, attacker)
        or not any(s > c.m.end and _JOINED.fullmatch(text, c.m.end, s) for s in starts)
    ]


def _unnamed_attackers(text: str) -> str | None:
    """Attackers the sentence names by what they are, not who ("pirates boarded", "killed by gunmen")."""
    m = _ATTACKER_NOUN.search(text)
    return (m.group("noun") or m.group("agent")).lower() if m else None


def _striker(text: str, cands: Sequence[Cand]) -> str | None:
    """The first party cued as acting or attacking that is not itself marked as hit.

    Else a party whose men or machines strike ("Russian aircraft bombed", "NPA guerrillas ambushed",
    "Israeli soldiers shot") or whose strikes are listed ("Turkish air, drone and artillery strikes").
    """
    return next(
        (c.m.party for c in cands if c.m.party and not c.victim and (c.role == "agent" or c.attack)), None
    ) or next(
        (
            c.m.party
            for c in cands
            if c.m.party
            and c.m.kind not in ("place", "capital")
            and c.role not in ("victim", "target")
            and _STRIKES_AFTER.match(text, c.m.end)
        ),
        None,
    )


def _victim(text: str, cands: Sequence[Cand], attacker: str | None, home: str | None) -> str | None:
    """The side that suffers: a named loser, else unnamed people, else a target, else any other party."""
    named = [
        c
        for c in cands
        if c.m.party and c.m.party != attacker and c.role not in ("agent", "ally", "target", "dealer")
    ]
    if _SEAFARERS.search(text) and _MERCHANT_SHIP.search(text) and not _WARSHIP.search(text):
        return "seafarers"  # a merchant ship's crew, whatever its flag (dev-set convention)
    return (
        _named_loser(named)
        or _state_victims(text, cands, attacker)
        or _unnamed_victims(text, cands, attacker)
        or _first(cands, exclude=attacker, roles=("target",))
        or next((c.m.party for c in named if c.role not in ("partner", "locin", "locative")), None)
        or _dateline_victims(text, attacker, home)
    )


def _dateline_victims(text: str, attacker: str | None, home: str | None) -> str | None:
    """Soldiers or police hit, no side nor place named: the army of the article's dateline country."""
    if home is None or home == attacker or home in STATELESS or _STATE_HIT.search(text) is None:
        return None
    return STATE_ARMIES.get(home, home)


def _named_loser(named: Sequence[Cand]) -> str | None:
    """A named party cued as hit or losing, else its forces ("Ukrainian troops"), else a plural demonym."""
    return (
        next((c.m.party for c in named if c.victim or c.loses), None)
        or next((c.m.party for c in named if c.force == 2), None)
        or next((c.m.party for c in named if c.m.kind == "demonym" and c.m.text.endswith("s")), None)
    )


def _state_victims(text: str, cands: Sequence[Cand], attacker: str | None) -> str | None:
    """Soldiers or police hit with no side named: the state where it happened, else the reporting state.

    "Ten soldiers fell when the base at Djibo came under assault" -> Burkina Faso; in a civil war
    whose army is a side of its own, that army ("regime troops" in Shan State -> Myanmar military).
    """
    if _STATE_HIT.search(text) is None:
        return None
    source = source_party(text)
    if source and _OWN_MEN.search(text):
        return STATE_ARMIES.get(source, source)  # "the military said 11 of its soldiers were killed"
    claimed = claimant(text) is not None  # a speaker who killed soldiers lost none
    state = (
        next(
            (
                c.m.country
                for c in cands
                if c.m.place is not None
                and (c.m.kind == "place" or c.role in ("locin", "locative"))
                and c.m.country not in (attacker, None)
                and c.m.country not in STATELESS
            ),
            None,
        )
        or (FOUGHT_STATES.get(source or "") if claimed else None)  # "the BLA said it had killed": Pakistan's
        or (None if claimed else source)
    )
    if state is None or state == attacker:
        return None
    return STATE_ARMIES.get(state, state)


def _unnamed_victims(text: str, cands: Sequence[Cand], attacker: str | None) -> str | None:
    """People or civilians killed with no side named: where they died, else civilians or the source's side.

    None when the sentence speaks of neither people nor civilians.
    """
    civilians = "civilian" in text and _CIVILIANS.search(text) is not None
    lowered = text[:1].lower() + text[1:]  # "Inmates died ...", "The death toll from ..." too
    if not civilians and not _PEOPLE.search(lowered) and not _DEAD.search(lowered):
        return None
    victim = _victims_at(text, cands, attacker, civilians)
    if victim:
        return victim
    if civilians:
        return "civilians"
    source = source_party(text)
    # people a civil war's government counts are its civilians, as in its towns (_victims_at)
    return "civilians" if source is None or source in CIVIL_CONFLICT else source


def _party_before_attack(text: str, cands: Sequence[Cand], victim: str | None) -> str | None:
    """A party other than the victim a few words before an attack noun ("Russia launched a strike")."""
    return next(
        (c.m.party for c in cands if c.m.party != victim and c.m.party and _ORDERS.match(text, c.m.end)),
        None,
    )


def _victims_at(text: str, cands: Sequence[Cand], attacker: str | None, civilians: bool) -> str | None:
    """Unnamed people killed somewhere: the place's country, or civilians in a civil war's towns.

    `civilians`: whether the sentence speaks of civilians (searched once by the caller).
    """
    places = [c for c in cands if c.m.place is not None and c.m.country not in (attacker, None)]
    cued = [c for c in places if c.role in _PLACE_ROLES]
    objects = [
        c for c in places if c.role is None and _OBJECT.search(text, max(0, c.m.start - 30), c.m.start)
    ]
    for c in cued + objects:
        if c.m.country in CIVIL_CONFLICT and (c.m.kind == "place" or civilians):
            return "civilians"
        return c.m.country
    if attacker and civilians:  # "civilians died as Russian missiles hit Kharkiv": its state
        return next((c.m.country for c in places if c.m.country not in CIVIL_CONFLICT), None)
    return None


def _forecast(text: str, cands: Sequence[Cand], context: str | None) -> tuple[str | None, str | None]:
    if context and _ANAPHOR.match(text):
        other = next(
            (
                c.m.party
                for c in cands
                if c.m.party and c.m.party != context and c.role not in ("locative", "locin")
            ),
            None,
        )
        return context, other
    skip = ("target", "partner", "dealer", "locative", "destination", "recipient", "locin")
    actors = [c for c in cands if not c.speaks]  # the speaker predicts; the actor is whom it predicts of
    clauses = [(m.start(), text.find(",", m.end()) % (len(text) + 1)) for m in _CONDITION.finditer(text)]
    main = [c for c in actors if not any(s <= c.m.start < e for s, e in clauses)]  # not "if X joins"
    actor = (
        next((c.m.party for c in main if c.m.party and c.role not in skip and c.attack), None)
        or _subject(main, skip, receivers=True)
        or _subject(actors, skip, receivers=True)
    )
    target = next(
        (c.m.party for c in cands if c.m.party and c.m.party != actor and c.role in _FACED),
        None,
    ) or next(
        (c.m.party for c in actors if c.m.party and c.m.party != actor and c.role in _FORECAST_REACHED),
        None,
    )
    return actor, target


# A recipient (supply) or host country (deployment) stays the counterpart of the same actor's
# later events that leave it implicit ("Its main combat units are to follow in 2025").
_CARRY = frozenset({"deployment", "supply"})
_HOST_PREPS = frozenset({"in", "to", "into", "toward", "towards", "for"})


def _hosts(sentence: str, party: str) -> bool:
    """Is `party` where the forces go ("to Lithuania", "in Lithuania"), not whom they face?"""
    at = sentence.find(party)
    words = sentence[max(0, at - 16) : at].split() if at > 0 else []
    if words and words[-1] == "the":
        words.pop()
    return bool(words) and words[-1] in _HOST_PREPS


@dataclass(slots=True)
class Context:
    """The article's acting parties so far, for sentences that leave theirs implicit.

    A casualty's actor is the side that suffers, not one that acts: later deployments
    and forecasts ("the escalation risks ...") keep the last party that sent, supplied
    or was predicted to act; casualty sentences may refer back to any earlier actor.
    """

    agent: str | None = None  # last actor of a deployment, supply or forecast
    last: str | None = None  # last actor of any event (casualty sentences refer back to victims too)
    partners: dict[tuple[Category, str], str] = field(default_factory=dict)  # (category, actor) -> party
    seen: list[str] = field(default_factory=list)  # parties of the events so far, latest first

    def actor_for(self, category: Category) -> str | None:
        return self.last if category == "casualty" else self.agent

    def counterpart_for(
        self, category: Category, actor: str | None, counterpart: str | None, sentence: str
    ) -> str | None:
        """`counterpart`, or else the recipient or host this actor's earlier event of `category` named."""
        if not actor or category not in _CARRY:
            return counterpart
        if counterpart is None:
            return self.partners.get((category, actor))
        if category == "supply" or _hosts(sentence, counterpart):  # a target ("against Hamas") stays put
            self.partners[category, actor] = counterpart
        return counterpart

    def update(self, category: Category, actor: str | None, counterpart: str | None = None) -> None:
        self.last = actor or self.last
        if actor and category != "casualty":
            self.agent = actor
        for party in (counterpart, actor):  # the actor ends up latest
            if party and party != "civilians":
                if party in self.seen:
                    self.seen.remove(party)
                self.seen.insert(0, party)


def _refers_back(text: str) -> bool:
    return ("that" in text or "said" in text) and _BACKREF.search(text) is not None


_RECEIVED_BACK = re.compile(
    r"\b(?:it|they)\s+(?:(?:had|has|have|would|will|already|also|just)\s+)*"
    r"(?:received|bought|acquired|obtained|purchased|ordered|taken delivery|took delivery|got)\b"
)


def _received_back(text: str) -> bool:
    """The speaker is the buyer: "the army said it had received Iranian drones"."""
    return (" it " in text or " they " in text) and _RECEIVED_BACK.search(text) is not None


def _denies_receiving(text: str) -> bool:
    return ("den" in text or "reject" in text) and _DENIED_RECEIVING.search(text) is not None


def find_parties(
    text: str,
    category: Category,
    context_actor: str | None,
    recent: Sequence[str] = (),
    home: str | None = None,
) -> tuple[str | None, str | None]:
    """(actor, counterpart) of one event sentence; `context_actor` fills an implicit actor.

    `recent`: the parties the article named before, latest first, for generic nouns ("the rebels");
    `home`: the country of the article's dateline, whose forces unnamed soldiers most often are.
    """
    text = text[:MAX_CHARS]
    cands = _with_generics(text, recent, home)
    actor, counterpart = _read_roles(text, category, context_actor, cands, home)
    if (
        actor is None
        and category == "deployment"
        and context_actor is None
        and _only_place(text, counterpart)
    ):
        # forces of no named side, moving in a country's towns: its own, or the maker's of what moves,
        # whose host is then the towns' country ("a Gray Eagle sent to Mindanao": Philippines)
        maker = _maker(text)
        host = counterpart if (maker, counterpart) not in _HOSTILE else None
        actor, counterpart = (maker, host) if maker else (counterpart, None)
    if actor is None:
        actor = _implicit_actor(text, category, context_actor, home)
    if category == "supply" and counterpart is None and (_denies_receiving(text) or _received_back(text)):
        counterpart = source_party(text)  # "Sudan denied receiving ...", "the army said it had received ..."
    if counterpart == actor:
        counterpart = None
    return actor, counterpart


def _only_place(text: str, country: str | None) -> bool:
    """Is `country` in the sentence only as the country of a town, region or capital it names?"""
    if country is None or country in STATELESS:
        return False
    return all(m.party != country or m.kind in ("place", "capital") for m in mentions(text))


def _with_generics(text: str, recent: Sequence[str], home: str | None) -> tuple[Cand, ...]:
    """The sentence's candidates, with its generic party nouns resolved to the parties they stand for."""
    cands = candidates(text)
    generics = generic_mentions(text)
    if not generics:
        return cands
    named = {c.m.party for c in cands if c.m.party}
    resolved = []
    for g in generics:
        before = [c.m.party for c in cands if c.m.party and c.m.end <= g.start]
        party = resolve(g, before, recent)
        if party is None and g.kind == "generic-state" and not text.startswith("'s", g.end):
            party = _home_state(text, home)  # no army named before: the army of the state the sentence is in
        if party is not None and party not in named:  # a party named outright keeps the role its name has
            resolved.append(g._replace(party=party, country=party))
    return with_parties(text, cands, resolved)


def _read_roles(
    text: str, category: Category, context_actor: str | None, cands: Sequence[Cand], home: str | None
) -> tuple[str | None, str | None]:
    """The actor and counterpart the sentence's role cues name, read as `category` reads them.

    A transfer or a move is read without the parties that only tell of it ("Ukrainian intelligence
    says Russian troops ...").
    """
    if category in ("supply", "deployment"):
        cands = [c for c in cands if not c.m.party or not c.tells]
    if category == "supply":
        return _supply(cands)
    if category == "deployment":
        return _deployment(text, cands)
    if category == "casualty":
        return _casualty(text, cands, home)
    return _forecast(text, cands, context_actor)


def _implicit_actor(text: str, category: Category, context_actor: str | None, home: str | None) -> str | None:
    """The actor of a sentence that names none: a system's maker, the attribution, the article's actor."""
    if category in ("supply", "deployment") and (maker := _maker(text)):
        return maker
    struck = category == "casualty" and claimant(text) is not None  # "X claimed to have killed"
    if (category == "casualty" or _refers_back(text)) and not struck and (source := source_party(text)):
        return source
    if context_actor is not None:
        return context_actor
    if category == "forecast":
        return _maker(text)
    if struck:
        return None  # the speaker is the side that killed, not the one that lost
    return source_party(text) or (_home_forces(text, home) if category == "deployment" else None)


_UNNAMED_FORCE = re.compile(
    r"\b(?:troops|soldiers|army|forces|reservists|conscripts|units|battalions?|brigades?|regiments?|division"
    r"|police|policemen|officers|reinforcements|paratroopers|marines|infantrymen|servicemen|recruits)\b"
)


def _home_state(text: str, home: str | None) -> str | None:
    """The state whose town or region the sentence names: the army of "a clash with the military in Sulu".

    Else the state of the article's dateline (`home`).
    """
    for m in mentions(text):
        if m.kind == "place" and m.country and m.country not in STATELESS:
            return STATE_ARMIES.get(m.country, m.country)
    return STATE_ARMIES.get(home, home) if home and home not in STATELESS else None


def _home_forces(text: str, home: str | None) -> str | None:
    """Forces of no named side moving within a country's towns: that country's ("soldiers sent to Gwadar").

    Only a town or region counts (a country named outright is where foreign troops go as often as not),
    and only when the sentence speaks of forces at all.
    """
    return _home_state(text, home) if _UNNAMED_FORCE.search(text) else None


def _maker(text: str) -> str | None:
    """The country that makes the first named system with a known origin ("the Typhon" -> United States)."""
    return next((o for s in extract_systems(text) if (o := system_origin(s))), None)


__all__ = ["Context", "find_parties", "source_party", "who_is_named"]
