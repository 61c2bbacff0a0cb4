"""Rewrite the corpus's actor and counterpart labels to the party gazetteer's canonical names.

    .venv/bin/python tools/corpus/harmonise_parties.py          # rewrite corpus/, print what changed
    .venv/bin/python tools/corpus/harmonise_parties.py --check  # exit 1 if a label is not canonical

Many labellers wrote the corpus and named one party several ways ("Sudanese Armed Forces" / "SAF",
"Wagner" / "Wagner Group"); the dev sets and the judged sets write the gazetteer's short canonical
names. A label is mapped, in this order, by:
1. the gazetteer (streams/classify/data/parties.json): a group's name or alias, a country's name or
   alias, a leader's name -> that party's canonical name (case-insensitive);
2. a country's own forces ("Indonesian Army", "Iranian border guards", "China Coast Guard",
   "Syrian government forces") -> the country, as the dev sets write "Lebanese army units" -> Lebanon;
3. the decisions of party-decisions.tsv beside this script, each with its reason (the guide,
   corpus/README.md, corpus/agreement/adjudication.md), for the labels the first two leave.
What none of them maps is printed as unmapped and left as written. Only the `actor` and
`counterpart` of events change: every other byte of a line stays as it was, so the script can be
run again after other branches edit the same lines.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PARTIES = ROOT / "streams" / "classify" / "data" / "parties.json"
DECISIONS = HERE / "party-decisions.tsv"
CORPUS = ROOT / "corpus"
FIELDS = ("actor", "counterpart")
KEEP = "="  # a decision that keeps the label as written

# The forces of a state, written after its name or demonym: "Indonesian Army", "Pakistan's military".
FORCE_WORDS = (
    "army|military|armed forces|forces|troops|soldiers|government|government forces|security forces"
    "|police|police officers|national police|border guards?|border police|border guard police|coast ?guard"
    "|navy|air force|marines|military police|gendarmerie|junta"
)


def gazetteer_names(parties: dict[str, Any]) -> dict[str, str]:
    """Every name the gazetteer gives a party, lower-cased, -> the party's canonical name."""
    names: dict[str, str] = {}
    for group in parties["groups"]:
        for alias in [group["name"], *group["aliases"]]:
            names.setdefault(alias.lower(), group["name"])
    for leader in parties["leaders"]:
        for alias in leader["names"]:
            names.setdefault(alias.lower(), leader["party"])
    for country in parties["countries"]:
        for alias in [country["name"], *country["aliases"]]:
            names.setdefault(alias.lower(), country["name"])
    return names


def state_forces(parties: dict[str, Any]) -> re.Pattern[str]:
    """A country or demonym, then a force word ("Pakistan's military"); the country is group `country`."""
    forms = []
    for country in parties["countries"]:
        for name in [country["name"], *country["aliases"], *country["demonyms"]]:
            forms.append(re.escape(name))
    forms.sort(key=len, reverse=True)
    return re.compile(rf"(?:the\s+)?(?P<country>{'|'.join(forms)})(?:'s)?\s+(?:{FORCE_WORDS})", re.IGNORECASE)


class Harmoniser:
    def __init__(self, parties: dict[str, Any], decisions: dict[str, tuple[str, str]]) -> None:
        self.names = gazetteer_names(parties)
        self.forces = state_forces(parties)
        self.country_of: dict[str, str] = {}
        for country in parties["countries"]:
            for name in [country["name"], *country["aliases"], *country["demonyms"]]:
                self.country_of.setdefault(name.lower(), country["name"])
        self.decisions = decisions
        self.unmapped: Counter[str] = Counter()

    def canonical(self, label: str) -> tuple[str, str]:
        """(the label to write, why): the first of the gazetteer, state forces, decisions; else as is."""
        key = label.strip().lower()
        if key in self.names:
            return self.names[key], "gazetteer"
        if (m := self.forces.fullmatch(label.strip())) is not None:
            return self.country_of[m.group("country").lower()], "state forces"
        if label in self.decisions:
            decided, reason = self.decisions[label]
            return (label if decided == KEEP else decided), f"decision: {reason}"
        self.unmapped[label] += 1
        return label, "unmapped"


def read_decisions(path: Path = DECISIONS) -> dict[str, tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = csv.DictReader(f, delimiter="\t")
        return {r["label"]: (r["decision"], r["reason"]) for r in rows}


def _events(item: dict[str, Any]) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = item.get("events", [])
    return events


def harmonise(corpus: Path, h: Harmoniser, write: bool) -> list[tuple[str, str, str, str, str]]:
    """Every label change (id, field, before, after, why); the files rewritten when `write`."""
    changes = []
    for path in sorted([*corpus.glob("sentences/*.jsonl"), *corpus.glob("articles/*.jsonl")]):
        lines = path.read_text(encoding="utf-8").splitlines()
        out = []
        for line in lines:
            item = json.loads(line)
            changed = False
            for i, event in enumerate(_events(item)):
                for name in FIELDS:
                    value = event.get(name)
                    if not isinstance(value, str):
                        continue
                    new, why = h.canonical(value)
                    if new != value:
                        where = f"events[{i}].{event['category']}.{name}" if "body" in item else name
                        changes.append((item["id"], where, value, new, why))
                        event[name] = new
                        changed = True
            out.append(json.dumps(item, ensure_ascii=False) if changed else line)
        if write and out != lines:
            path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return changes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a label would change")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    parties = json.loads(PARTIES.read_text(encoding="utf-8"))
    h = Harmoniser(parties, read_decisions())
    changes = harmonise(args.corpus, h, write=not args.check)
    for change in changes:
        print("\t".join(change))
    by_rule = Counter(c[4].split(":")[0] for c in changes)
    print(f"# {len(changes)} labels changed: {dict(by_rule)}", file=sys.stderr)
    if h.unmapped:
        print(f"# unmapped ({len(h.unmapped)}), left as written:", file=sys.stderr)
        for label, n in h.unmapped.most_common():
            print(f"#   {n}\t{label}", file=sys.stderr)
    return 1 if args.check and changes else 0


if __name__ == "__main__":
    sys.exit(main())
