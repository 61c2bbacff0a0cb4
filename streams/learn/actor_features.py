"""The candidates and features of the actor chooser measured by streams/learn/actor.py (issue 13).

Not wired into classify: measured, it gains +0.031 grouped-CV actor accuracy at ~+20% of classify's
time, against the bar of +0.03 under 10% (MODEL_CARD.md, "Actor chooser"). An event's candidates are the
rules' actor, every party its sentence names (with their rank, kind of name, word before and role
cues), the makers of its systems, the country of a town or capital it names, the article's context
actor and its latest parties, the parties of the sentences before (by how many back), the dateline's
country, the party of the sentence's attribution, "civilians" and None; a (event, candidate) pair's
features are these sources, alone, per category and crossed with being the rules' pick.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from streams.classify.extract.actors import Context, source_party
from streams.classify.extract.parties import Mention, mentions
from streams.classify.extract.roles import candidates
from streams.classify.extract.systems import system_origin
from streams.classify.model import Event

CIVILIANS = "civilians"
_CUES = ("force", "victim", "origin", "receives", "speaks", "tells", "orders", "loses")
_BACK = 3  # sentences before the event told apart; any earlier one is "3"

Sources = dict[str | None, list[str]]  # candidate actor (None: no actor) -> where it comes from


def _in_sentence(sentence: str, out: Sources) -> None:
    """Each party the sentence names: its rank, kind of name, the word before it and its role cues."""
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


def sources(
    sentence: str,
    *,
    systems: Sequence[str],
    rule: str | None,
    context_actor: str | None,
    seen: Sequence[str],
    earlier: dict[str, set[int]],
    home: str | None,
) -> Sources:
    """The candidates of one event and where each comes from; `systems`: the event's, whose makers count;
    `earlier`: party -> sentences back (0-3)."""
    out: Sources = {None: ["none"], CIVILIANS: ["civilians"]}
    _in_sentence(sentence, out)
    for system in systems:
        if origin := system_origin(system):
            out.setdefault(origin, []).append("maker")
    if context_actor:
        out.setdefault(context_actor, []).append("context_actor")
    for rank, party in enumerate(seen[:3]):
        out.setdefault(party, []).append(f"seen:{rank}")
    for party, backs in earlier.items():
        out.setdefault(party, []).extend(f"prev_sentence:{k}" for k in sorted(backs))
    if home:
        out.setdefault(home, []).append("dateline")
    if source := source_party(sentence):
        out.setdefault(source, []).append("source")
    out.setdefault(rule, []).append("rule")
    return out


def pair_features(category: str, where: Sequence[str]) -> list[str]:
    """The named features of one (event, candidate) pair: each source alone, per category, per rule pick."""
    base = sorted(set(where))
    rule = "rule" in base
    out = [f"n_sources:{min(len(base), 4)}"]
    for b in base:
        out += [b, f"{category}|{b}"]
        if b != "rule":
            out.append(f"rule={rule}|{b}")
    return out


class Earlier:
    """The parties the article names before a position, by how many sentences back (one pass over it)."""

    def __init__(self, text: str, sentences: Sequence[tuple[int, int]]) -> None:
        self._sentences = sentences
        self._mentions: tuple[Mention, ...] = mentions(text)

    def before(self, start: int) -> dict[str, set[int]]:
        index = sum(1 for _, end in self._sentences if end <= start)  # sentences wholly before `start`
        bounds = [s for s, _ in self._sentences[:index]]
        out: dict[str, set[int]] = {}
        for m in self._mentions:
            if m.start >= start:
                break
            if not m.party:
                continue
            at = bisect.bisect_right(bounds, m.start) - 1
            if at >= 0:
                out.setdefault(m.party, set()).add(min(index - 1 - at, _BACK))
        return out


def walk(
    events: Sequence[Event], text: str, sentences: Sequence[tuple[int, int]], home: str | None
) -> list[Sources]:
    """Each event's candidates, the article's context fed with the rules' actors as classify feeds it."""
    context = Context()
    earlier = Earlier(text, sentences) if events else None
    out: list[Sources] = []
    for e in events:
        assert earlier is not None
        sentence = text[e.evidence.start : e.evidence.end]
        out.append(
            sources(
                sentence,
                systems=e.systems,
                rule=e.actor,
                context_actor=context.actor_for(e.category),
                seen=list(context.seen),
                earlier=earlier.before(e.evidence.start),
                home=home,
            )
        )
        context.update(e.category, e.actor, e.counterpart)
    return out


@dataclass(frozen=True)
class ActorModel:
    weights: dict[str, float]
    bias: float
    _parts: dict[tuple[str, str, bool], float] = field(default_factory=dict, compare=False, repr=False)

    def score(self, category: str, where: Sequence[str]) -> float:
        """The pair's logit: pair_features' weights summed, one cached part per (category, source, rule)."""
        base = set(where)
        rule = "rule" in base
        get = self.weights.get
        total = self.bias + get(f"n_sources:{min(len(base), 4)}", 0.0)
        for b in base:
            part = self._parts.get((category, b, rule))
            if part is None:
                part = get(b, 0.0) + get(f"{category}|{b}", 0.0)
                part += get(f"rule={rule}|{b}", 0.0) if b != "rule" else 0.0
                self._parts[category, b, rule] = part
            total += part
        return total

    def choose(self, category: str, cands: Sources) -> str | None:
        """The best-scoring candidate; the first in order on a tie."""
        best, best_score = None, -np.inf
        for cand, where in cands.items():
            s = self.score(category, where)
            if s > best_score:
                best, best_score = cand, s
        return best
