"""Fill a deployment's counterpart with its host country, as the dev sets do (issue 13).

    .venv/bin/python tools/corpus/harmonise_hosts.py          # rewrite corpus/, log to host-changes.tsv
    .venv/bin/python tools/corpus/harmonise_hosts.py --check  # exit 1 if a label would change
    .venv/bin/python tools/corpus/harmonise_hosts.py --dev    # the dev sets' convention, counted

The corpus's rule S1 filled a counterpart only when the sentence names the party; the dev sets (and
so the judged sets) fill a deployment's host from the country of the place it names: "North Korean
troops sent to Kursk" has counterpart Russia, "German soldiers landed in Vilnius" Lithuania. The
rule, derived by counting the dev sets (`--dev`; corpus/agreement/adjudication.md, S1 amended):

1. a deployment whose counterpart is null and whose location lies in one country (the gazetteer's
   places, towns, capitals and countries; the whole location must be that name and generic words
   such as "region", "port", "northern") takes that country as counterpart, when
2. the actor is a state (or a state's own army) or an alliance, and the country is not its own
   (own ground stays null), and
3. the pair is not hostile (streams/classify/data/hosts.json, which the classifier reads too: moves
   onto an enemy's ground, "Russian battalions inside Ukraine", stay null in the dev sets).
Left as labelled, and counted: a location on a border, at sea, a route or not in the gazetteer; an
actor that is an armed group (the dev sets disagree: Wagner in Mali has Mali, Africa Corps null); a
pair marked ambiguous; supply and casualty events (the dev sets never fill a casualty's counterpart
from the place; a supply's place is as often a transit stop or where the weapon was used as its
destination). Only the `counterpart` of events changes; every other byte of a line stays as it was,
and a second run changes nothing.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import harmoniser  # noqa: E402

from streams.classify.extract.parties import (  # noqa: E402
    ALLIANCES,
    COUNTRY_NAMES,
    STATE_ARMIES,
    STATELESS,
    mentions,
)
from streams.classify.text.gazetteer import load  # noqa: E402

CURATED_PLACES = frozenset(alias for alias, _, _ in load("places.json")["places"])

CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared" / "data"  # ../shared beside the repo
CHANGES = CORPUS / "agreement" / "host-changes.tsv"
DEV_FILES = ("dev-sentences.jsonl", "dev-articles.jsonl", "seed-article.jsonl")

PLACE_WORDS = HERE / "host-place-words.txt"
GENERIC = frozenset(
    word
    for line in PLACE_WORDS.read_text(encoding="utf-8").splitlines()
    if not line.startswith("#")
    for word in line.split()
)
# A location that lies between countries, on water, or along a route: its country is not the host.
AMBIGUOUS_PLACE = re.compile(
    r"\b(?:border|borders|frontier|boundary|line|airspace|waters|coast|FIR|off|near|to|from|between|via"
    r"|sea|gulf|strait|ocean|channel)\b|\b(?:north|south|east|west)\w*\s+of\b",
    re.IGNORECASE,
)
# The sentence puts the forces on the water beside the place ("off Tonga", "waters north of Cuba").
OFFSHORE = r"\b(?:off|waters\s+(?:\w+\s+)?of|coast\s+of)\s+(?:the\s+)?"
_WORD = re.compile(r"[\w'-]+")
ARMY_OF = {army: state for state, army in STATE_ARMIES.items()}  # "SAF" -> "Sudan"


def place_country(location: str, named: frozenset[str] | None = None) -> tuple[str | None, str]:
    """(the one country the location lies in, or None; why).

    A town known only from the generated GeoNames list ("Baidi", "Halfaya") may be a namesake in
    another country: it counts only when its country is among `named`, the countries its theatre's
    file names somewhere.
    """
    if AMBIGUOUS_PLACE.search(location):
        return None, "border, sea or route"
    found = [m for m in mentions(location) if m.kind in ("place", "capital", "country", "demonym", "alias")]
    countries = {m.country for m in found}
    if not found or None in countries:
        return None, "no country in the gazetteer"
    if len(countries) > 1:
        return None, "several countries"
    town_only = all(m.kind == "place" and m.text not in CURATED_PLACES for m in found)
    if town_only and named is not None and not countries <= named:
        return None, "a town whose country the theatre never names"
    rest = location
    for m in sorted(found, key=lambda m: m.start, reverse=True):
        rest = rest[: m.start] + " " + rest[m.end :]
    if any(w.lower() not in GENERIC for w in _WORD.findall(rest)):
        return None, "not only a place name"
    return countries.pop(), "place"


def actor_state(actor: str | None) -> tuple[str | None, str]:
    """(the state or alliance that deploys, or None; what kind of actor)."""
    if actor is None:
        return None, "no actor"
    if actor in COUNTRY_NAMES:
        return actor, "state"
    if actor in ARMY_OF:
        return ARMY_OF[actor], "state"
    if actor in ALLIANCES:
        return actor, "alliance"
    return None, "armed group or other"


def read_relations() -> dict[tuple[str, str], str]:
    """(actor, host) -> relation, from the classifier's own list (data/hosts.json): one list for both."""
    return {(p["actor"], p["host"]): p["relation"] for p in load("hosts.json")["pairs"]}


def countries_named(texts: list[str]) -> frozenset[str]:
    """The countries these texts name, by name, demonym, capital, alias or a curated place."""
    named = set()
    for text in texts:
        for m in mentions(text):
            if m.kind in ("country", "demonym", "capital", "alias") or m.text in CURATED_PLACES:
                named.add(m.country)
    return frozenset(c for c in named if c is not None)


def decide(
    event: dict[str, Any], text: str, relations: dict[tuple[str, str], str], named: frozenset[str] | None
) -> tuple[str | None, str]:
    """(the host to write, or None to leave the label; the outcome, for the counts)."""
    if event.get("counterpart") is not None:
        return None, "counterpart already set"
    location = event.get("location")
    if not location:
        return None, "no location"
    if re.search(OFFSHORE + re.escape(location), text):
        return None, "left: border, sea or route"
    country, why = place_country(location, named)
    if country is None:
        return None, f"left: {why}"
    state, kind = actor_state(event.get("actor"))
    if state is None:
        return None, f"left: {kind}"
    if country == state:
        return None, "own ground: null"
    if country in STATELESS:
        return None, "left: stateless host"
    relation = relations.get((state, country))
    if relation is not None:
        return None, f"left: {relation} pair"
    return country, f"filled: {kind} on a partner's ground"


def _events(item: dict[str, Any]) -> Iterator[tuple[int, dict[str, Any]]]:
    yield from enumerate(item.get("events", []))


def splits_of(corpus: Path) -> dict[str, str]:
    raw = json.loads((corpus / "splits.json").read_text(encoding="utf-8"))
    return {t: name for name in ("test", "validation") for t in raw.get(name, [])}


class Label(NamedTuple):
    """One labelled event as a harmoniser reads it: where it is, its line, its sentence, and the
    countries its file names (countries_named)."""

    split: str
    theatre: str
    item: dict[str, Any]
    event: dict[str, Any]
    sentence: str
    named: Any


# the change's columns after (split, id), with the label's event changed in place, or None to leave it
Fix = Callable[[Label], list[str] | None]


def rewrite_events(corpus: Path, write: bool, fix: Fix) -> list[list[str]]:
    """Every change (split, id, *fix's columns) that `fix` makes to the corpus's labelled events; with
    `write`, each file whose labels changed is rewritten, its other lines byte for byte as they were."""
    splits = splits_of(corpus)
    changes: list[list[str]] = []
    for path in sorted([*corpus.glob("sentences/*.jsonl"), *corpus.glob("articles/*.jsonl")]):
        lines = path.read_text(encoding="utf-8").splitlines()
        items = [json.loads(line) for line in lines]
        named = countries_named([item.get("body") or item["text"] for item in items])
        out = []
        for line, item in zip(lines, items, strict=True):
            theatre = item.get("theatre") or path.stem
            split = splits.get(theatre, "train")
            changed = False
            for i, event in _events(item):
                sentence = event.get("sentence") or item["text"]
                columns = fix(Label(split, theatre, item, event, sentence, named))
                if columns is not None:
                    where = f"{item['id']}#{i}" if "body" in item else item["id"]
                    changes.append([split, where, *columns])
                    changed = True
            out.append(json.dumps(item, ensure_ascii=False) if changed else line)
        if write and out != lines:
            path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return changes


def harmonise(
    corpus: Path, relations: dict[tuple[str, str], str], write: bool
) -> tuple[list[list[str]], Counter[tuple[str, str]]]:
    """Every change (split, id, category, old, new, place) and the outcomes counted per split."""
    outcomes: Counter[tuple[str, str]] = Counter()

    def fill_host(label: Label) -> list[str] | None:
        event = label.event
        if event["category"] != "deployment":
            return None
        host, outcome = decide(event, label.sentence, relations, label.named)
        outcomes[label.split, outcome] += 1
        if host is None:
            return None
        event["counterpart"] = host
        return [event["category"], "null", host, event["location"]]

    return rewrite_events(corpus, write, fill_host), outcomes


def dev_events(shared: Path) -> Iterator[dict[str, Any]]:
    """Every labelled event of the dev sets (the convention the judged sets follow)."""
    for name in DEV_FILES:
        for line in (shared / name).read_text(encoding="utf-8").splitlines():
            for _, event in _events(json.loads(line)):
                yield event


def dev_convention(shared: Path) -> Counter[tuple[str, str, str]]:
    """(category, where the event is, what its counterpart is) over the dev sets' located events."""
    counts: Counter[tuple[str, str, str]] = Counter()
    relations = read_relations()
    for event in dev_events(shared):
        if event["category"] == "forecast" or not event.get("location"):
            continue
        country, why = place_country(event["location"])
        state, kind = actor_state(event.get("actor"))
        if country is None:
            where = why
        elif kind == "armed group or other":
            where = "armed group's place"
        elif country == state:
            where = "actor's own country"
        else:
            relation = relations.get((state or "", country), "partner")
            where = f"foreign country, {relation}"
        cp = event.get("counterpart")
        what = "null" if cp is None else ("the place's country" if cp == country else "another party")
        counts[event["category"], where, what] += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    return harmoniser.run(
        argv,
        doc=__doc__ or "",
        corpus=CORPUS,
        shared=SHARED,
        harmonise=lambda corpus, write: harmonise(corpus, read_relations(), write),
        dev_convention=dev_convention,
        log_name=CHANGES.name,
        header=["id", "category", "old", "new", "place"],
        noun="counterparts filled",
    )


if __name__ == "__main__":
    sys.exit(main())
