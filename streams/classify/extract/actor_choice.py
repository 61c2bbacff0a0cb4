"""An event's actor chosen among candidates by a learned ranking, the rules' actor one of them.

The rules' actor (actors.find_parties) is right on most events whose actor the sentence names and on
few of the others, whose actor is a named system's maker, a party named sentences before, the
dateline's country or the attribution's. Each event's candidates are the rules' actor, every party the
sentence names (rank, kind of name, word before it, role cues), the makers of its systems, the country
of a town or capital it names and that country's army where a civil war's army is a side of its own,
the article's context actor and latest parties, the parties of the sentences before (by how many
back), the dateline's country, the attribution's party, "seafarers" for a ship's crew, "civilians" and
None. A (event, candidate) pair's features are these sources, alone, per category, crossed with being
the rules' pick and with the sentence's traits (how many parties it names, whether it speaks of
people or of soldiers, whether it opens with a pronoun); a logistic regression's weights score each
pair, the best is the actor.

Computed inside classify's loop, while the sentence's analyses are memoised (text/memo.py); the
article's earlier parties are those of its earlier event sentences, filed as classify passes them.
Weights are data (data/actor.npz, data/actor.json), written by `sitrep train` (streams/learn/actor.py);
without them the rules' actor stands.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import NamedTuple, Protocol

import numpy as np

from streams.classify.extract.actors import who_is_named
from streams.classify.extract.claimant import claimant
from streams.classify.extract.parties import STATE_ARMIES, mentions
from streams.classify.extract.roles import candidates, cue_words
from streams.classify.extract.sources import source_party
from streams.classify.extract.systems import system_origin
from streams.classify.model import Category
from streams.classify.text.normalize import lower_same_length

WEIGHTS_FILE = "actor.npz"
CONFIG_FILE = "actor.json"
CIVILIANS = "civilians"
_CUES = (
    "force",
    "victim",
    "origin",
)  # the others (receives, speaks, tells, orders, loses): CV 0.6154 with, 0.6155 without
_BACK = 3  # sentences before the event told apart; any earlier one is "3"
_PREV = tuple(f"prev_sentence:{k}" for k in range(_BACK + 1))
_MAX_SCORES = 100_000  # (category, sources) pairs whose score the chooser keeps

# the kinds of attacker the labels name when no party is known (data/roles.json `attacker_nouns`)
_KIND_NOUN = re.compile(r"\b(?:" + cue_words("attacker_nouns") + r")\b")  # searched in lower case

Sources = dict[str | None, list[str]]  # candidate actor (None: no actor) -> where it comes from


def _in_sentence(sentence: str, out: Sources) -> None:
    """Each party the sentence names: its rank, kind of name, the word before it and its role cues; the
    country of each place it names, and that country's army where a civil war's army is a side."""
    named = [c for c in candidates(sentence) if c.m.party]
    for rank, c in enumerate(named):
        if c.m.party in out:
            out[c.m.party].append("repeat")
            continue
        before = sentence[max(0, c.m.start - 12) : c.m.start].lower().split()
        prev = before[-1] if before else "^"
        if prev == "the" and len(before) > 1:
            prev = before[-2]
        f = ["in_sentence", f"rank:{min(rank, 3)}", f"kind:{c.m.kind}", f"role:{c.role}", f"prev:{prev}"]
        f += [f"last:{rank == len(named) - 1}", f"after_that:{c.after_that}"]
        f.append(f"poss:{sentence.startswith(chr(39) + 's', c.m.end)}")
        f += [f"cue:{cue}:{int(v)}" for cue in _CUES if (v := getattr(c, cue))]
        out[c.m.party] = f
    found = mentions(sentence)
    cued = {c.m.party for c in named}
    for m in found:
        if m.party and m.party not in cued:
            out.setdefault(m.party, []).append("in_attribution")
    for m in found:
        if m.kind in ("place", "capital") and m.country:
            out.setdefault(m.country, []).append("place_country")
    for country in [c for c, where in out.items() if c in STATE_ARMIES and "place_country" in where]:
        out.setdefault(STATE_ARMIES[country], []).append("state_army")  # Sudan's soldiers are the SAF's


def _kinds(sentence: str) -> tuple[str, ...]:
    """The kinds of attacker the sentence names, unless a party's name is right before the noun ("al-Shabaab
    militants" are al-Shabaab's)."""
    kinds = list(_KIND_NOUN.finditer(lower_same_length(sentence)))
    if not kinds:
        return ()
    ends = {m.end for m in mentions(sentence) if m.party}
    return tuple(k.group() for k in kinds if k.start() - 1 not in ends)


# The sentence's traits that tell which kind of candidate its actor is, crossed with each candidate's
# sources: a sentence naming no party and speaking of soldiers has an actor the sentence leaves implicit.
_CROSSED = frozenset(
    {
        "none",
        "civilians",
        "in_sentence",
        "in_attribution",
        "place_country",
        "state_army",
        "maker",
        "context_actor",
        "seen",
        "prev_sentence",
        "dateline",
        "kind_noun",
        "source",
        "rule",
        "crew",
    }
)
_ANAPHOR = re.compile(r"^(?:It|Its|They|Their|The group|The militants|The rebels|The army|The country)\b")
_CREW = re.compile(r"\b(?:crew|crews|crewmen|crew members|sailors|seafarers|mariners)\b")


def _traits(sentence: str, named: int, people: bool, state_men: bool) -> tuple[str, ...]:
    """The sentence's traits: how many parties it names, whom it speaks of, whether it refers back."""
    out = [f"named:{min(named, 2)}"]
    if people:
        out.append("people")
    if state_men:
        out.append("state_men")
    if _ANAPHOR.match(sentence):
        out.append("anaphor")
    return tuple(out)


class Candidates(NamedTuple):
    """One event's candidate actors, each with where it comes from, and its sentence's traits (crossed
    with every candidate's sources in pair_features). Named tuples: one is made per event or sentence,
    and a frozen dataclass costs several times more to make."""

    where: Sources
    traits: tuple[str, ...] = ()


class SentenceSources(NamedTuple):
    """What a sentence gives every one of its events' candidates: computed once per sentence, whatever
    the number of its events (each event adds its category's, its systems' and the article's)."""

    named: Sources  # the parties it names, the countries of its places and their armies, in order
    people: bool  # it speaks of civilians or people
    state_men: bool  # it speaks of soldiers or police
    sentence: str  # read again only for a casualty's crew
    kinds: tuple[str, ...]  # the kinds of attacker it names
    source: str | None  # the party of its attribution
    traits: tuple[str, ...]
    claimant: str | None  # the party that says it did the killing: never a toll's victim


def sentence_sources(sentence: str) -> SentenceSources:
    """The sentence's part of its events' candidates."""
    people, state_men = who_is_named(sentence)
    named: Sources = {}
    _in_sentence(sentence, named)
    count = sum(1 for where in named.values() if "in_sentence" in where)
    return SentenceSources(
        named,
        people,
        state_men,
        sentence,
        _kinds(sentence),
        source_party(sentence),
        _traits(sentence, count, people, state_men),
        claimant(sentence),
    )


def event_sources(
    part: SentenceSources,
    category: Category,
    *,
    systems: Sequence[str],
    rule: str | None,
    context_actor: str | None,
    seen: Sequence[str],
    earlier: dict[str, set[int]],
    home: str | None,
) -> Candidates:
    """The candidates of one event of `category` whose sentence's part is `part`; `systems`: the event's,
    whose makers count; `earlier`: party -> sentences back (0-3)."""
    out: Sources = {None: ["none"]}
    if category != "casualty" or part.people or not part.state_men:  # not "Clashes killed 120 soldiers"
        out[CIVILIANS] = ["civilians"]
    for party, where in part.named.items():  # no party is called "civilians" (data/parties.json)
        out[party] = where.copy()
    if category == "casualty" and _CREW.search(part.sentence):
        out.setdefault("seafarers", []).append("crew")  # a ship's crew, whatever its flag (the guide)
    for system in systems:
        if origin := system_origin(system):
            out.setdefault(origin, []).append("maker")
    if context_actor:
        out.setdefault(context_actor, []).append("context_actor")
    for rank, party in enumerate(seen[:3]):
        out.setdefault(party, []).append(f"seen:{rank}")
    for party, backs in earlier.items():
        out.setdefault(party, []).extend(_PREV[k] for k in sorted(backs))
    if home:
        out.setdefault(home, []).append("dateline")
    for kind in part.kinds:
        out.setdefault(kind, []).append("kind_noun")
    if part.source:
        out.setdefault(part.source, []).append("source")
    out.setdefault(rule, []).append("rule")
    if category == "casualty" and part.claimant is not None:
        out.pop(part.claimant, None)  # "JNIM said its fighters killed 150 soldiers": JNIM lost none of them
    return Candidates(out, part.traits)


def _crossed(where: Sequence[str], traits: Sequence[str]) -> list[str]:
    """The sources with the sentence's traits crossed with each: "none&named:0"."""
    bases = {w.split(":", 1)[0] for w in where} & _CROSSED
    return [*where, *(f"{b}&{t}" for b in sorted(bases) for t in traits)]


def pair_features(category: str, where: Sequence[str], traits: Sequence[str] = ()) -> list[str]:
    """The named features of one (event, candidate) pair: each source alone, per category, per rule pick;
    each source crossed with the sentence's `traits` counts as a source."""
    base = sorted(set(_crossed(where, traits)))
    rule = "rule" in base
    out = [f"n_sources:{min(len(base), 4)}"]
    for b in base:
        out += [b, f"{category}|{b}"]
        if b != "rule":
            out.append(f"rule={rule}|{b}")
    return out


class Earlier:
    """The parties named in an article's earlier event sentences, by how many sentences back.

    Fed as classify goes, with each event sentence's names (memoised for the party finder already), so
    the chooser costs no second pass over the article; sentences without events are not read.
    """

    def __init__(self) -> None:
        self._at: dict[str, set[int]] = {}  # party -> the sentences it is named in

    def add(self, index: int, sentence: str) -> None:
        """File the parties that `sentence`, the article's `index`-th, names."""
        for m in mentions(sentence):
            if m.party:
                self._at.setdefault(m.party, set()).add(index)

    def before(self, index: int) -> dict[str, set[int]]:
        """Party -> how many sentences back from the `index`-th (0: the one before; 3: three or more), of
        every party named in the event sentences filed before it."""
        out: dict[str, set[int]] = {}
        for party, ats in self._at.items():
            backs = {min(index - 1 - at, _BACK) for at in ats if at < index}
            if backs:
                out[party] = backs
        return out


class Chooser(Protocol):
    def choose(self, category: Category, cands: Candidates) -> str | None: ...


@dataclass(frozen=True)
class ActorModel:
    """A pair's logit is the bias plus its pair_features' weights; the best-scoring candidate wins."""

    weights: dict[str, float]
    bias: float
    # (category, traits) -> sources -> score, and how many scores are kept in all
    _scores: dict[tuple[str, tuple[str, ...]], dict[tuple[str, ...], float]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _kept: list[int] = field(default_factory=lambda: [0], compare=False, repr=False)

    def score(self, category: str, where: Sequence[str], traits: Sequence[str] = ()) -> float:
        """The pair's logit: the weights of its pair_features summed."""
        get = self.weights.get
        return self.bias + sum(get(name, 0.0) for name in pair_features(category, where, traits))

    def choose(self, category: Category, cands: Candidates) -> str | None:
        """The best-scoring candidate; the first in order on a tie. A pair's score is kept per (category,
        traits, sources): most candidates come from one source or two, so a few thousand keys cover most
        articles. The event's (category, traits) is looked up once, each candidate's sources in its table."""
        best, best_score = None, float("-inf")
        where_of, traits = cands
        scores = self._scores.get((category, traits))
        if scores is None:
            scores = self._scores[(category, traits)] = {}
        for cand, where in where_of.items():
            key = tuple(where)
            s = scores.get(key)
            if s is None:
                if self._kept[0] >= _MAX_SCORES:  # the word before a party varies: bound the memory
                    for table in self._scores.values():
                        table.clear()
                    self._kept[0] = 0
                s = scores[key] = self.score(category, where, traits)
                self._kept[0] += 1
            if s > best_score:
                best, best_score = cand, s
        return best


def from_arrays(names: Sequence[str], weights: Sequence[float], bias: float) -> ActorModel:
    return ActorModel({n: float(w) for n, w in zip(names, weights, strict=True)}, float(bias))


def read(data: Traversable) -> ActorModel | None:
    """The chooser whose weights are in the directory `data`, or None when it holds none."""
    if not data.joinpath(WEIGHTS_FILE).is_file():
        return None
    names = json.loads(data.joinpath(CONFIG_FILE).read_text(encoding="utf-8"))["features"]
    with np.load(io.BytesIO(data.joinpath(WEIGHTS_FILE).read_bytes())) as npz:
        return from_arrays(names, npz["weights"].astype(float).tolist(), float(npz["bias"][0]))


def load() -> ActorModel | None:
    """The shipped chooser, or None (the rules' actor stands) when no weights are shipped."""
    return read(files("streams.classify").joinpath("data"))


MODEL = load()
