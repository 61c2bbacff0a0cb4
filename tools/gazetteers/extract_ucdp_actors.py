"""Extract the organised non-state armed actors of the UCDP Actor Dataset, with aliases and former names.

    pip install english-words==2.0.2                                  # a scratch venv
    python tools/gazetteers/extract_ucdp_actors.py ucdp-actor-221.csv  # rewrites sources/ucdp-actors.csv

Why: the hand-compiled armed-groups.csv knows the theatres the dev sets name; the judged sets name
groups of other theatres. UCDP lists every organised actor of its state-based and non-state
conflicts (1946-2021 in version 22.1), with its short name, original name, English name and any
renaming. Only organised non-state actors (`Org` 1) are kept: governments are countries already,
`Org` 2 are supporters of parties and `Org` 3 identity groups ("Black", "Indian").

A name becomes an alias only when it names one group and nothing else, because the finder matches
names anywhere in a sentence:
- no "n/a", no "Military faction (...)", "Supporters of", "Forces of X" loses nothing (it is kept);
- an acronym has at least four letters ("MIR", "ELF" and "CPI" are left out);
- a single word is no lower-case English word nor its plural (web2: "Union", "MODEL", "Ninjas");
- a longer name has a word that is not generic ("Revolutionary Armed Forces", "The Resistance",
  "Syrian insurgents" are left out), where generic means the organisational words below, an English
  function word, or a demonym or country name.
A short name left out ("HTS", "ADF") is kept in `short_name` when no other UCDP actor has it: build.py
then joins the actor to the hand-written group of that canonical name instead of making a second
group ("UPC" and "ELN" name several actors and link nothing). build.py merges the extract (a name
already taken or in ambiguous.txt stays out there too).
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from pathlib import Path

from english_words import get_english_words_set  # type: ignore[import-not-found]

SOURCES = Path(__file__).resolve().parent / "sources"
GENERIC = set(
    """
    the of and for in de la del des du le les el los las al a an to on
    army armed forces force front liberation movement national people's peoples popular revolutionary
    democratic union party council resistance peace justice islamic islam armed united republic government
    military faction group groups brigade brigades battalion battalions militia militias insurgents rebels
    rebel communist socialist left new free patriotic alliance coalition organization organisation committee
    defence defense self-defense self-defence security guard guards fighters mujahideen mujahidin jihad
    independence federal federation revolution struggle unity salvation solidarity freedom fighters' army's
    liberation's gang gangs cartel cartels district region regional west east north south central
    northern southern eastern western movement's student students workers league association congress
    command high supreme dissidents dissident opposition loyalists loyalist vigilance vigilantes self
    protection order state states land holy war warriors sons soldiers men troops youth
    """.split()
)  # fmt: skip
ORG_NON_STATE = "1"


def _clean(name: str) -> str:
    name = name.replace("´", "'").replace("’", "'").replace("–", "-")
    return re.sub(r"\s+", " ", name).strip()


def _places() -> set[str]:
    """Country names and demonyms (mledoze extract), lower-cased: generic words in a group's name."""
    words: set[str] = set()
    with open(SOURCES / "mledoze-countries.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for value in (row["common"], row["demonym"]):
                words.update(w.lower() for w in re.split(r"[ ,]+", value) if w)
    return words


def admissible(name: str, english: set[str], places: set[str]) -> bool:
    """A name that can only mean this group (see the module docstring)."""
    if not name or name.lower() == "n/a" or re.match(r"(Military faction|Supporters of|Opponents of)", name):
        return False
    words = name.split()
    if len(words) == 1:
        letters = re.sub(r"[^A-Za-z]", "", name)
        if len(letters) < 4 or name.lower() in english or name.lower().removesuffix("s") in english:
            return False  # "MIR", "Union", "MODEL", "Ninjas"
        return True
    distinctive = [
        w
        for w in (re.sub(r"[^\w'-]", "", w).lower() for w in words)
        if w and w not in GENERIC and w not in places and w.rstrip("s") not in places
    ]
    return bool(distinctive)


def _short_name(row: dict[str, str]) -> str:
    return _clean(row["NewName"] if row["NameChange"].strip() == "1" else row["NameData"])


def actor_rows(rows: list[dict[str, str]], english: set[str], places: set[str]) -> list[dict[str, str]]:
    """One armed-groups.csv row per organised non-state actor: current name, aliases, former names."""
    non_state = [row for row in rows if row["Org"].strip() == ORG_NON_STATE]
    shorts = Counter(_short_name(row) for row in non_state)
    out = []
    for row in non_state:
        renamed = row["NameChange"].strip() == "1" and _clean(row["NewName"])
        current = (
            [_clean(row[k]) for k in ("NewName", "NewNameFullEng", "NewNameFullMotherTongue")]
            if renamed
            else []
        )
        original = [_clean(row[k]) for k in ("NameData", "NameOrig", "NameOrigFull", "NameOrigFullEng")]
        names = current if renamed else original
        former = original if renamed else []
        names = list(dict.fromkeys(n for n in names if admissible(n, english, places)))
        former = list(dict.fromkeys(n for n in former if admissible(n, english, places) and n not in names))
        if not names and not former:
            continue
        canonical = (names or former)[0]
        short = _short_name(row)
        link = short if shorts[short] == 1 and not admissible(short, english, places) else ""
        out.append(
            {
                "name": canonical,
                "kind": "group",
                "aliases": ";".join(n for n in names if n != canonical),
                "former_names": ";".join(n for n in former if n != canonical),
                "short_name": link,
                "source": f"UCDP Actor Dataset 22.1, ActorId {row['ActorId'].strip()}",
            }
        )
    return sorted(out, key=lambda r: (r["name"].lower(), r["source"]))


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "ucdp-actor-221.csv")
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    english = {w.lower() for w in get_english_words_set(["web2"], lower=True)}
    out = actor_rows(rows, english, _places())
    with open(SOURCES / "ucdp-actors.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(
            f, fieldnames=["name", "kind", "aliases", "former_names", "short_name", "source"]
        )
        writer.writeheader()
        writer.writerows(out)
    print(f"{len(out)} actors from {len(rows)} rows")


if __name__ == "__main__":
    main()
