"""Merge the public reference extracts in sources/ into the classifier's gazetteers.

    .venv/bin/python tools/gazetteers/build.py   # rewrites data/{parties,systems,places}.json

The merge only adds: an existing canonical name is never renamed or dropped, a name
already used by another entry (party, place, blocker, system) keeps its meaning, and
the names of sources/ambiguous.txt (common words, places, personal names) are left out.
Running it twice gives the same files. Provenance and licences: streams/classify/data/GAZETTEERS.md.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

from streams.classify.extract.system_names import conventional

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
DATA = HERE.parents[1] / "streams" / "classify" / "data"

# mledoze names that differ from the canonical names the labels use
COUNTRY_NAMES = {
    "DR Congo": "Democratic Republic of the Congo",
    "Czechia": "Czech Republic",
    "Vatican City": "Vatican",
    "Palestine": "Palestinians",
    "Eswatini": "Eswatini",
}
# Widely held Soviet-era or generic arms: their maker says nothing about who uses them.
NO_ORIGIN_CLASSES = {"rifle", "machine gun", "grenade launcher", "mortar", "anti-aircraft gun"}
LEGACY = {
    "T-55", "T-62", "BMP-1", "BTR-60", "BTR-70", "BTR-80", "MT-LB", "BRDM-2", "D-30", "D-20", "M-46",
    "Mi-17", "Mi-171", "Mi-171Sh", "Mi-171E", "Mi-171SH", "Mi-2", "Mi-35", "Mi-35M", "Mi-35P", "Mi-24P",
    "Mi-24V", "Mi-24 Hind", "An-26", "An-12", "Il-76", "MiG-21", "MiG-23", "Su-24", "Su-25K", "L-39",
    "Aero L-39", "Type 56", "Type 59", "Type 63", "Type 81", "Scud", "Scud-B", "Strela-2", "9K32 Strela-2",
    "Malyutka", "Fagot", "Konkurs", "9M113 Konkurs", "S-125 Pechora", "Kub", "FAB-250", "FAB-500",
    "OFAB-250", "RBK-500", "Hwasong-5", "Hwasong-6",
}  # fmt: skip


HAND_WRITTEN = 158  # the first entries of systems.json, written by hand for the dev sets
# Makers whose name goes before a system's ("Bayraktar Akinci", "DJI Mavic"): the same system.
MAKERS = {"bayraktar", "dji", "hal", "helsing", "aero", "hongdu", "iai", "zala", "saab", "norinco", "avic"}


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(SOURCES / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(";") if v.strip()]


def _ambiguous() -> set[str]:
    lines = (SOURCES / "ambiguous.txt").read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def _party_names(parties: dict[str, Any], places: dict[str, Any]) -> set[str]:
    """Every string the party/place table already matches (parties.py builds the same table)."""
    taken = {alias for alias, _, _ in places["places"]} | set(parties["blockers"])
    taken.update(alias for alias, _, _ in places.get("towns", []))
    for leader in parties["leaders"]:
        taken.update(leader["names"])
    for group in parties["groups"]:
        taken.update(group["aliases"])
    for c in parties["countries"]:
        taken.update([c["name"], *c["aliases"], *c["capitals"], *c["demonyms"]])
        taken.update(d + "s" for d in c["demonyms"])
    return taken


def _add(names: list[str], new: list[str], taken: set[str], ambiguous: set[str]) -> int:
    added = 0
    for name in new:
        if name and name not in taken and name not in ambiguous:
            names.append(name)
            taken.add(name)
            added += 1
    return added


def merge_countries(parties: dict[str, Any], taken: set[str], ambiguous: set[str]) -> int:
    """Capitals, demonyms and official names (mledoze/countries), government metonyms (metonyms.csv),
    state forces (state-forces.csv)."""
    by_name = {c["name"]: c for c in parties["countries"]}
    for c in parties["countries"]:
        for alias in c["aliases"]:
            by_name.setdefault(alias, c)
    added = 0
    for row in _read_csv("mledoze-countries.csv"):
        common = COUNTRY_NAMES.get(row["common"], row["common"])
        entry = by_name.get(common) or by_name.get(row["official"])
        if entry is None:
            if common in taken or common in ambiguous:
                continue
            entry = {"name": common, "demonyms": [], "capitals": [], "aliases": []}
            parties["countries"].append(entry)
            taken.add(common)
            by_name[common] = entry
            added += 1
        if entry["name"] == "Palestinians":
            continue  # a people, not a state: its demonym and capital are hand-written
        added += _add(entry["capitals"], row["capitals"].split("|"), taken, ambiguous)
        added += _add(entry["demonyms"], row["demonym"].split(", "), taken, ambiguous)
        added += _add(entry["aliases"], [row["official"]], taken, ambiguous)
    for row in _read_csv("metonyms.csv"):
        entry = by_name.get(row["country"])
        if entry is not None:
            added += _add(entry["aliases"], [row["metonym"]], taken, ambiguous)
    for row in _read_csv("state-forces.csv"):  # forces whose name says no country: "RAAF", "Carabineros"
        entry = by_name.get(row["country"])
        if entry is not None:
            added += _add(entry["aliases"], [row["name"]], taken, ambiguous)
    parties["countries"].sort(key=lambda c: c["name"])
    return added


def merge_not_parties(parties: dict[str, Any], taken: set[str]) -> int:
    """Names that contain a country but name none (not-parties.csv), and countries that are given names."""
    added = 0
    for row in _read_csv("not-parties.csv"):
        if row["kind"] == "given name":
            if row["name"] not in parties.setdefault("given_names", []):
                parties["given_names"].append(row["name"])
        elif row["name"] not in taken:
            parties["blockers"].append(row["name"])
            taken.add(row["name"])
            added += 1
    return added


def merge_places(
    places: dict[str, Any],
    parties: dict[str, Any],
    systems: dict[str, Any],
    taken: set[str],
    ambiguous: set[str],
) -> int:
    """Towns and regions of geonames-places.csv (extract_places.py) as `towns`: [name, name, country].

    Added last, so a town never shadows a party, a hand-written place or a weapon system's name.
    """
    countries = {c["name"] for c in parties["countries"]}
    system_names = {alias for entry in systems["named"] for alias in entry["aliases"]}
    towns = places.setdefault("towns", [])
    added = 0
    for row in _read_csv("geonames-places.csv"):
        name, country = row["name"], COUNTRY_NAMES.get(row["country"], row["country"])
        if country in countries and name not in taken and name not in ambiguous and name not in system_names:
            towns.append([name, name, country])
            taken.add(name)
            added += 1
    return added


def merge_groups(parties: dict[str, Any], taken: set[str], ambiguous: set[str]) -> int:
    """Armed groups, alliances and missions with their aliases and former names.

    armed-groups.csv (hand-compiled) first, then ucdp-actors.csv (extract_ucdp_actors.py): a UCDP
    actor one of whose names a group already has, or whose unique short name ("HTS") is a group's
    canonical name, adds its other names to that group, not a second one.
    """
    by_name = {g["name"]: g for g in parties["groups"]}
    by_alias = {alias: g for g in parties["groups"] for alias in [g["name"], *g["aliases"]]}
    added = 0
    for row in [*_read_csv("armed-groups.csv"), *_read_csv("ucdp-actors.csv")]:
        names = [row["name"], *_split(row["aliases"]), *_split(row["former_names"])]
        group = (
            by_name.get(row["name"])
            or by_name.get(row.get("short_name") or "")
            or next((by_alias[n] for n in names if n in by_alias), None)
        )
        if group is None:
            group = {"name": row["name"], "kind": row["kind"], "aliases": []}
            if _add(group["aliases"], names, taken, ambiguous):
                parties["groups"].append(group)
                by_name[row["name"]] = group
                by_alias.update((alias, group) for alias in group["aliases"])
                added += len(group["aliases"])
            continue
        before = len(group["aliases"])
        added += _add(group["aliases"], names, taken, ambiguous)
        by_alias.update((alias, group) for alias in group["aliases"][before:])
    for row in _read_csv("armed-groups.csv"):
        if row["kind"] == "alliance" and row["name"] in by_name and row["name"] not in parties["alliances"]:
            parties["alliances"].append(row["name"])
    return added


# a word and a number: "Shahed-136", "Wing Loong 3"
_WORD_CODE = re.compile(r"([A-Z][a-z]{2,}(?: [A-Z][a-z]+)?)([- ])(\d{1,4})(?![\w-])")


def _case_variants(name: str) -> list[str]:
    """A designation as news also prints it: "Su-35S" and "SU-35S", "Mi-8MTV" and "MI-8MTV", a word's
    number after a hyphen or a space ("Shahed-136" and "Shahed 136", "Arrow 3" and "Arrow-3")."""
    code, sep, rest = name.partition(" ")
    upper = code.upper() + sep + rest
    out = [name, upper] if any(ch.isdigit() for ch in code) and upper != name else [name]
    m = _WORD_CODE.fullmatch(name)
    if m:
        out.append(f"{m.group(1)}{' ' if m.group(2) == '-' else '-'}{m.group(3)}")
    return out


def _system_name(designation: str, kind: str) -> str:
    """ "<designation> <class>", the class said once ("Harop loitering munition" + "loitering munition")."""
    words, kind_words = designation.lower().split(), kind.split()
    while len(words) > 1 and words[-1] in kind_words:
        words.pop()
    return conventional(" ".join(words + kind_words))


def _designation(entry: dict[str, Any]) -> str | None:
    names = sorted((a.lower() for a in entry["aliases"]), key=len, reverse=True)
    return next((a for a in names if entry["canonical"].startswith(a + " ")), None)


_CODE = re.compile(r"(?=.*[a-z])(?=.*\d)[a-z0-9/-]+")  # "m142", "fgm-148", "mq-1c", "pac-3"
_NAME = re.compile(r"[a-z]{4,}")  # "raptor", "spirit", "stratofortress"
_VARIANT = re.compile(r"\b(?:block|mk|batch|series|version|variant)\b")


def _same_system(long: str, short: str) -> bool:
    """Is designation `long` the system `short` with a model code or a name added ("m142 himars" and
    "himars", "f-22 raptor" and "f-22", "bayraktar akinci" and "akinci"), not a variant ("leopard 2a5",
    "f-16 block 70", "switchblade 300")?"""
    if long.endswith(" " + short):
        extra = long[: -len(short) - 1]
    elif long.startswith(short + " "):
        extra = long[len(short) + 1 :]
    else:
        return False
    if _VARIANT.search(extra) or " " in extra:
        return False
    if extra in MAKERS:
        return True
    return (
        bool(_CODE.fullmatch(extra))
        if not any(ch.isdigit() for ch in short)
        else bool(_NAME.fullmatch(extra))
    )


def conform_systems(systems: dict[str, Any]) -> None:
    """Every canonical name in the labels' convention (system_names.conventional), duplicates merged:
    the same canonical name, or the same system with its model code or name added (_same_system),
    which takes the first entry's name (the hand-written ones come first), else the shortest."""
    by_canon: dict[str, dict[str, Any]] = {}
    for entry in systems["named"]:
        designation = _designation(entry)
        if designation:
            entry["canonical"] = _system_name(designation, entry["canonical"][len(designation) + 1 :])
        entry["canonical"] = conventional(entry["canonical"])
        first = by_canon.setdefault(entry["canonical"], entry)
        if first is not entry:
            first["aliases"] += [a for a in entry["aliases"] if a not in first["aliases"]]
    entries = list(by_canon.values())
    by_kind: dict[str, list[tuple[str, int]]] = {}
    for i, entry in enumerate(entries):
        designation = _designation(entry)
        if designation:
            by_kind.setdefault(entry["canonical"][len(designation) + 1 :], []).append((designation, i))
    parent = list(range(len(entries)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for group in by_kind.values():
        for long, i in group:
            for short, j in group:
                if i != j and _same_system(long, short):
                    a, b = sorted(
                        (root(i), root(j)), key=lambda k: (k >= HAND_WRITTEN, len(entries[k]["canonical"]), k)
                    )
                    parent[b] = a
    for i, entry in enumerate(entries):
        keep = entries[root(i)]
        if keep is not entry:
            keep["aliases"] += [a for a in entry["aliases"] if a not in keep["aliases"]]
    systems["named"] = [entry for i, entry in enumerate(entries) if root(i) == i]


def merge_systems(
    systems: dict[str, Any], party_names: set[str], parties: set[str], ambiguous: set[str]
) -> int:
    """Weapon systems by designation and class (weapon-systems.csv): canonical "<designation> <class>".

    `party_names`: every name of a party or place (not a system's name); `parties`: the canonical
    parties a system's maker may be.
    """
    conform_systems(systems)
    taken = {a for n in systems["named"] for a in n["aliases"]} | party_names
    by_canon = {n["canonical"]: n for n in systems["named"]}
    added = 0
    for row in _read_csv("weapon-systems.csv"):
        canonical = _system_name(row["designation"], row["class"])
        names = [v for name in [row["designation"], *_split(row["aliases"])] for v in _case_variants(name)]
        entry = by_canon.get(canonical)
        if entry is None:
            no_origin = row["class"] in NO_ORIGIN_CLASSES or row["designation"] in LEGACY
            origin = row["origin"] if row["origin"] in parties and not no_origin else None
            entry = {"aliases": [], "canonical": canonical, "origin": origin}
            if _add(entry["aliases"], names, taken, ambiguous):
                systems["named"].append(entry)
                by_canon[canonical] = entry
                added += 1
            continue
        _add(entry["aliases"], names, taken, ambiguous)
    conform_systems(systems)
    return added


def _write(name: str, data: dict[str, Any]) -> None:
    (DATA / name).write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_places(places: dict[str, Any]) -> None:
    """places.json keeps one [alias, canonical, country] per line, as it is written by hand."""
    parts = []
    for key, value in places.items():
        if isinstance(value, list):
            rows = ",\n".join("    " + json.dumps(row, ensure_ascii=False) for row in value)
            parts.append(f"  {json.dumps(key)}: [\n{rows}\n  ]")
        else:
            parts.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    (DATA / "places.json").write_text("{\n" + ",\n".join(parts) + "\n}\n", encoding="utf-8")


def main() -> None:
    parties = json.loads((DATA / "parties.json").read_text(encoding="utf-8"))
    places = json.loads((DATA / "places.json").read_text(encoding="utf-8"))
    systems = json.loads((DATA / "systems.json").read_text(encoding="utf-8"))
    ambiguous = _ambiguous()
    taken = _party_names(parties, places)
    countries = merge_countries(parties, taken, ambiguous)
    groups = merge_groups(parties, taken, ambiguous)
    merge_not_parties(parties, taken)
    country_names = {c["name"] for c in parties["countries"]} | {g["name"] for g in parties["groups"]}
    named = merge_systems(systems, taken, country_names, ambiguous)
    towns = merge_places(places, parties, systems, taken, ambiguous)
    _write("parties.json", parties)
    _write("systems.json", systems)
    _write_places(places)
    print(f"added {countries} country names, {groups} group names, {named} weapon systems, {towns} towns")


if __name__ == "__main__":
    main()
