"""Gazetteers built from reference data (tools/gazetteers): new names found, common words left alone."""

from __future__ import annotations

import copy
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from streams.classify.extract.actors import find_parties
from streams.classify.extract.parties import mentions, party_of
from streams.classify.extract.quantities import extract_quantity
from streams.classify.extract.systems import extract_systems, system_origin
from streams.classify.text.gazetteer import load

BUILD = Path(__file__).resolve().parents[3] / "tools" / "gazetteers" / "build.py"


def _parties(text: str) -> list[str | None]:
    return [m.party for m in mentions(text) if m.party]


@pytest.mark.parametrize(
    "text",
    [
        "She stacked the china plates and carved the turkey.",
        "The chad of a punched ballot hung loose.",
        "The former NBA star Michael Jordan and Chad Johnson attended the gala.",
        "Researchers at Georgia Tech built the model.",
        "Militants in the Niger Delta blew up a pipeline.",
        "Boats sailed up the Jordan River at dawn.",
        "The Mali Empire traded gold across the Sahara.",
    ],
)
def test_common_words_and_namesakes_are_not_parties(text: str) -> None:
    assert _parties(text) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Troops from Chad and Niger crossed the border.", ["Chad", "Niger"]),
        ("Jordan intercepted the drones over Amman.", ["Jordan", "Jordan"]),
        ("Drones struck near the border with Chad. Officials said six died.", ["Chad"]),
        ("Turkey and China signed the deal.", ["Turkey", "China"]),
        ("Fighting resumed in Georgia on Tuesday.", ["Georgia"]),
    ],
)
def test_countries_that_are_also_words_still_count(text: str, want: list[str]) -> None:
    assert _parties(text) == want


@pytest.mark.parametrize(
    ("name", "party"),
    [
        ("Bankova", "Ukraine"),  # government metonyms
        ("Aso Rock", "Nigeria"),
        ("Quai d'Orsay", "France"),
        ("Bridgetown", "Barbados"),  # capitals and official names from mledoze/countries
        ("Andorra la Vella", "Andorra"),
        ("Federal Republic of Somalia", "Somalia"),
        ("Ansar Beit al-Maqdis", "Sinai Province"),  # former names
        ("Jabhat al-Nusra", "HTS"),
        ("Arakan Rohingya Salvation Army", "ARSA"),
        ("ISIS-K", "Islamic State Khorasan"),
        ("MINUSCA", "MINUSCA"),  # missions and alliances
        ("Collective Security Treaty Organization", "CSTO"),
        ("EUFOR", "EUFOR"),
        ("ADF rebels", "ADF"),
    ],
)
def test_new_names_stand_for_their_party(name: str, party: str) -> None:
    assert party_of(name) == party


def test_hand_written_canonical_names_survive() -> None:
    for name, party in [
        ("Ansar Allah", "Houthis"),
        ("Rapid Support Forces", "RSF"),
        ("Pyongyang", "North Korea"),
        ("Kremlin", "Russia"),
        ("Ankara", "Turkey"),
        ("Wagner", "Wagner Group"),
        ("Pentagon", "United States"),
    ]:
        assert party_of(name) == party


def test_a_person_named_after_a_country_is_not_the_actor() -> None:
    actor, _ = find_parties(
        "Kenya sent 400 police officers, the envoy Chad Roberts said.", "deployment", None
    )
    assert actor == "Kenya"


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Russia deployed Su-35S fighters to the base.", ("su-35s fighter jet",)),
        ("Two SU-35S jets landed.", ("su-35s fighter jet",)),
        ("Russia lost two T-90M tanks near Pokrovsk.", ("t-90m tank",)),
        ("The Houthis fired a Palestine-2 missile.", ("palestine-2 ballistic missile",)),
        (
            "They used Wing Loong II drones and PL-15 missiles.",
            ("wing loong ii drone", "pl-15 air-to-air missile"),
        ),
        ("A Virginia-class submarine docked in Perth.", ("virginia-class submarine",)),
        ("Storm Shadow missiles hit the depot.", ("storm shadow cruise missile",)),  # hand-written entry kept
    ],
)
def test_generated_weapon_systems(text: str, want: tuple[str, ...]) -> None:
    assert extract_systems(text) == want


def test_widely_held_soviet_arms_name_no_maker() -> None:
    assert system_origin("ak-47 rifle") is None
    assert system_origin("t-55 tank") is None
    assert system_origin("palestine-2 ballistic missile") == "Houthis"


def _build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gazetteer_build", BUILD)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_gazetteers_are_the_generators_output() -> None:
    """Re-running tools/gazetteers/build.py on the committed files adds nothing."""
    build = _build()
    parties, systems = copy.deepcopy(load("parties.json")), copy.deepcopy(load("systems.json"))
    ambiguous = build._ambiguous()
    taken = build._party_names(parties, load("places.json"))
    assert build.merge_countries(parties, taken, ambiguous) == 0
    assert build.merge_groups(parties, taken, ambiguous) == 0
    assert build.merge_not_parties(parties, taken) == 0
    canon = {c["name"] for c in parties["countries"]} | {g["name"] for g in parties["groups"]}
    assert build.merge_systems(systems, taken, canon, ambiguous) == 0
    places = copy.deepcopy(load("places.json"))
    assert build.merge_places(places, parties, systems, taken, ambiguous) == 0
    assert parties == load("parties.json") and systems == load("systems.json")
    assert places == load("places.json")


def test_no_generated_name_is_an_ambiguous_word() -> None:
    ambiguous = _build()._ambiguous()
    for name in ("Victoria", "Dragon", "Kazan", "Negev", "Raptor"):
        assert name in ambiguous and party_of(name) in (None, "Russia")  # Kazan is a place in Russia
        assert extract_systems(f"We saw {name} there.") == ()


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Two Su-30SMs landed at Baranovichi.", "aircraft"),
        ("Two C-17 Globemasters landed at the airport.", "aircraft"),
        ("Three B-1Bs touched down at Orland.", "bombers"),
    ],
)
def test_a_named_aircraft_counts_as_aircraft(text: str, unit: str) -> None:
    got = extract_quantity(text, "deployment")
    assert got is not None and got.unit == unit


@pytest.mark.parametrize(
    ("name", "want"),
    [
        ("Shahed-136", ["Shahed-136", "SHAHED-136", "Shahed 136"]),
        ("Arrow 3", ["Arrow 3", "Arrow-3"]),
        ("Wing Loong-3", ["Wing Loong-3", "Wing Loong 3"]),
        ("Su-35S", ["Su-35S", "SU-35S"]),  # a code, not a word and a number: no spaced form
        ("T-72B3", ["T-72B3"]),
    ],
)
def test_a_word_and_a_number_are_written_both_ways(name: str, want: list[str]) -> None:
    """build._case_variants: news prints "Shahed 136" as often as "Shahed-136"."""
    assert _build()._case_variants(name) == want
