"""Write two kinds of event actor the way the dev sets do (issue 13).

    .venv/bin/python tools/corpus/harmonise_actors.py          # rewrite corpus/, log to actor-changes.tsv
    .venv/bin/python tools/corpus/harmonise_actors.py --check  # exit 1 if a label would change
    .venv/bin/python tools/corpus/harmonise_actors.py --dev    # the dev sets' convention, counted

The dev sets (and so the judged sets) name a casualty's victims by their country when a foreign
state's attack killed them ("Three people were wounded in a Russian drone attack on Odesa": Ukraine;
"U.S. strikes killed more than 50 people in Yemen": Yemen) and keep `civilians` for a state's own
people or a civil war's ("eight civilians were killed when Myanmar's military bombed ...": civilians).
They never leave a supply's actor null: a sender the sentence does not name is the maker's country
("seized Iranian-made missile components": Iran; datasheet point 18 for firms). The corpus wrote
`civilians` for some foreign-attack victims and null for some unnamed senders. Two rules, counted on
the dev sets by `--dev`:

C1. a casualty whose actor is `civilians` and whose counterpart is a state (a country, a state's army,
    a coalition of states) takes the country of its location (harmonise_hosts.place_country, the
    Palestinians for Gaza and the West Bank) when that is not the attacker's, and the sentence names
    no third country (the victims might be its nationals: "a Chinese speedboat ... near Kinmen").
C2. a casualty whose actor is `civilians`, in a theatre and years where actor-war-victims.tsv names
    the country whose people a foreign state's war strikes (datasheet point 33: Russia's strikes on
    Ukraine from 2022), takes that country when its location is unnamed or lies there.
S1. a supply whose actor is null, whose systems come from one maker country (the classifier's own
    systems gazetteer) that is neither the recipient nor the location's country, and that is not a
    smuggled or seized cargo (a middleman may have sent it), takes that country.
Left as labelled, and counted: the rest. Only the `actor` of events changes; every other byte of a
line stays as it was, and a second run changes nothing.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import harmoniser  # noqa: E402
from harmonise_hosts import (  # noqa: E402
    ARMY_OF,
    CORPUS,
    SHARED,
    Label,
    dev_events,
    place_country,
    rewrite_events,
)

from streams.classify.extract.parties import COUNTRY_NAMES, mentions  # noqa: E402
from streams.classify.extract.systems import system_origin  # noqa: E402
from streams.classify.text.gazetteer import load  # noqa: E402

NAMED = frozenset(n["canonical"] for n in load("systems.json")["named"])

CHANGES = CORPUS / "agreement" / "actor-changes.tsv"
CIVILIANS = "civilians"
# A coalition of states attacks for its members: their victims are another country's.
COALITIONS = {
    "Saudi-led coalition": frozenset({"Saudi Arabia", "United Arab Emirates"}),
    "US-led coalition": frozenset({"United States"}),
}
# A cargo that a middleman or an earlier owner may have sent: its maker is not its sender.
NOT_FROM_MAKER = re.compile(
    r"\b(?:smuggl\w*|seiz\w*|intercept\w*|interdict\w*|contraband|second-hand|used|surplus|refurbished)\b",
    re.IGNORECASE,
)
# Systems made by several countries, whose gazetteer origin is one member of the consortium.
CONSORTIUM = frozenset(
    line.split("\t")[0]
    for line in (HERE / "actor-consortium-systems.tsv").read_text(encoding="utf-8").splitlines()[1:]
)
_DIGIT = re.compile(r"\d")


def read_war_victims(path: Path = HERE / "actor-war-victims.tsv") -> dict[str, tuple[int, str]]:
    """theatre -> (first year, the country whose people that war's foreign strikes hit)."""
    with path.open(encoding="utf-8", newline="") as f:
        return {r["theatre"]: (int(r["from_year"]), r["country"]) for r in csv.DictReader(f, delimiter="\t")}


WAR_VICTIMS = read_war_victims()


def attacker_states(counterpart: str | None) -> frozenset[str]:
    """The states a counterpart stands for (a country, its army, a coalition's members), else none."""
    if counterpart is None:
        return frozenset()
    if counterpart in COUNTRY_NAMES:
        return frozenset({counterpart})
    if counterpart in ARMY_OF:
        return frozenset({ARMY_OF[counterpart]})
    return COALITIONS.get(counterpart, frozenset())


def countries_in(text: str) -> frozenset[str]:
    """The countries a sentence names by name, demonym, capital or alias."""
    found = (m.country for m in mentions(text) if m.kind in ("country", "demonym", "capital", "alias"))
    return frozenset(c for c in found if c is not None)


def victims_country(event: dict[str, Any], text: str, named: frozenset[str] | None) -> tuple[str | None, str]:
    """C1: (the victims' country to write, or None; the outcome)."""
    if event.get("actor") != CIVILIANS:
        return None, "not civilians"
    attackers = attacker_states(event.get("counterpart"))
    if not attackers:
        return None, "left: no state attacker"
    if not event.get("location"):
        return None, "left: no location"
    country, why = place_country(event["location"], named)
    if country is None:
        return None, f"left: {why}"
    if country in attackers:
        return None, "own people: civilians"
    if countries_in(text) - attackers - {country}:
        return None, "left: a third country named"
    return country, "C1 filled: a foreign state's victims"


def maker_country(event: dict[str, Any], text: str, named: frozenset[str] | None) -> tuple[str | None, str]:
    """S1: (the unnamed sender's country to write, or None; the outcome)."""
    if event.get("actor") is not None:
        return None, "actor named"
    maker, why = one_maker(event.get("systems") or [])
    if maker is None:
        return None, f"left: {why}"
    recipient = event.get("counterpart")
    if maker == recipient:
        return None, "left: the maker is the recipient"
    place = place_country(event["location"], named)[0] if event.get("location") else None
    if place == maker:
        return None, "left: the maker's own ground"
    if NOT_FROM_MAKER.search(text):
        return None, "left: smuggled, seized or second-hand"
    if countries_in(text) - {c for c in (maker, recipient, place) if c}:
        return None, "left: a third country named"
    return maker, "S1 filled: the maker sends"


def one_maker(systems: list[str]) -> tuple[str | None, str]:
    """(the one country that makes every named system, or None; why): a class word ("artillery",
    "assault bridge") names no maker; a model whose maker the gazetteer lacks ("mi-17 helicopter")
    or a consortium's makes the maker unknown."""
    makers = set()
    for system in systems:
        if system in CONSORTIUM:
            return None, "a consortium's system"
        if origin := system_origin(system):
            makers.add(origin)
        elif _DIGIT.search(system) or system in NAMED:
            return None, "a model of unknown maker"
    if len(makers) != 1:
        return None, "no single maker"
    return makers.pop(), "one maker"


def war_victims(
    event: dict[str, Any], theatre: str, year: int | None, named: frozenset[str] | None
) -> str | None:
    """C2: the country of a listed war's civilian victims, or None."""
    if event.get("actor") != CIVILIANS or theatre not in WAR_VICTIMS or year is None:
        return None
    first_year, country = WAR_VICTIMS[theatre]
    if year < first_year or attacker_states(event.get("counterpart")) & {country}:
        return None
    if event.get("location") and place_country(event["location"], named)[0] != country:
        return None
    return country


RULES = {"casualty": victims_country, "supply": maker_country}


def _year(published_at: str | None) -> int | None:
    return int(published_at[:4]) if published_at and published_at[:4].isdigit() else None


def harmonise(corpus: Path, write: bool) -> tuple[list[list[str]], Counter[tuple[str, str, str]]]:
    """Every change (split, id, category, rule, old, new, evidence) and the outcomes per split."""
    outcomes: Counter[tuple[str, str, str]] = Counter()

    def fill_actor(label: Label) -> list[str] | None:
        event = label.event
        rule = RULES.get(event["category"])
        if rule is None:
            return None
        actor, outcome = rule(event, label.sentence, label.named)
        year = label.item.get("year") or _year(label.item.get("published_at"))
        if actor is None and (war := war_victims(event, label.theatre, year, label.named)):
            actor, outcome = war, "C2 filled: a listed war's victims"
        outcomes[label.split, event["category"], outcome] += 1
        if actor is None:
            return None
        evidence = event.get("location") or ", ".join(event.get("systems") or [])
        old = event.get("actor") or "null"
        event["actor"] = actor
        return [event["category"], outcome[:2], old, actor, evidence]

    return rewrite_events(corpus, write, fill_actor), outcomes


def dev_convention(shared: Path) -> Counter[tuple[str, str, str]]:
    """(rule, the case, how the dev sets write the actor) over the dev sets' casualties and supplies."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for event in dev_events(shared):
        actor = event.get("actor")
        if event["category"] == "casualty":
            attackers = attacker_states(event.get("counterpart"))
            country = place_country(event["location"])[0] if event.get("location") else None
            if not attackers or country is None or actor not in (CIVILIANS, country):
                continue
            case = "attacker's own people" if country in attackers else "a foreign state's victims"
            counts["C1", case, "civilians" if actor == CIVILIANS else "the place's country"] += 1
        elif event["category"] == "supply":
            maker = one_maker(event.get("systems") or [])[0]
            if maker is not None and maker != event.get("counterpart"):
                what = "null" if actor is None else ("the maker" if actor == maker else "another")
                counts["S1", "one maker, not the recipient", what] += 1
            elif actor is None:
                counts["S1", "no single maker", "null"] += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    return harmoniser.run(
        argv,
        doc=__doc__ or "",
        corpus=CORPUS,
        shared=SHARED,
        harmonise=harmonise,
        dev_convention=dev_convention,
        log_name=CHANGES.name,
        header=["id", "category", "rule", "old", "new", "evidence"],
        noun="actors changed",
    )


if __name__ == "__main__":
    sys.exit(main())
