"""The armed groups and missions of armed-groups.csv and the UCDP extract: every name found, no word taken."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from streams.classify.extract.parties import mentions, party_of
from streams.classify.text.gazetteer import load

SOURCES = Path(__file__).resolve().parents[3] / "tools" / "gazetteers" / "sources"


def _source_names() -> set[str]:
    names: set[str] = set()
    for file in ("armed-groups.csv", "ucdp-actors.csv"):
        with open(SOURCES / file, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                for column in ("name", "aliases", "former_names"):
                    names.update(n.strip() for n in row[column].split(";") if n.strip())
    return names


def _group_aliases() -> list[tuple[str, str]]:
    """(alias, canonical) for every group name that came from the two source files."""
    sourced = _source_names()
    return [
        (alias, group["name"])
        for group in load("parties.json")["groups"]
        for alias in group["aliases"]
        if alias in sourced
    ]


def test_the_sources_give_several_hundred_groups_and_the_missions_since_2014() -> None:
    groups = load("parties.json")["groups"]
    assert sum(1 for g in groups if g.get("kind") == "group") >= 500
    missions = {g["name"] for g in groups if g.get("kind") == "mission"}
    assert {
        "MINUSMA",
        "MONUSCO",
        "UNMISS",
        "UNIFIL",
        "ATMIS",
        "SAMIM",
        "SAMIDRC",
        "EUFOR",
        "KFOR",
    } <= missions
    assert {"MNJTF", "MSS", "ECOMIG", "EAC Regional Force", "SAPMIL", "EUTM Mali"} <= missions


def test_every_sourced_alias_is_found_in_a_sentence() -> None:
    missed = []
    for alias, canonical in _group_aliases():
        text = f"On Tuesday the {alias} attacked a convoy near the border."
        found = [m.party for m in mentions(text) if m.party]
        if found != [canonical]:
            missed.append((alias, canonical, found))
    assert missed == []


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Sendero Luminoso", "Shining Path"),  # a former or original name -> the canonical one
        ("Hay'at Tahrir al-Sham", "HTS"),  # a UCDP name joins the hand-written group
        ("Naxalites", "Maoists"),
        ("SADC Preventive Mission in Lesotho", "SAPMIL"),
        ("Mara Salvatrucha", "MS-13"),
        ("Kenya-led mission", "MSS"),
        ("East African Community Regional Force", "EAC Regional Force"),
        ("Forces démocratiques de libération du Rwanda", "FDLR"),
    ],
)
def test_aliases_and_former_names_stand_for_the_group(name: str, canonical: str) -> None:
    assert party_of(name) == canonical


@pytest.mark.parametrize(
    "text",
    [
        "The union voted to strike after the model failed its safety test.",
        "Peace and justice were the themes of the bishop's sermon.",
        "The resistance of the cable fell as the temperature rose.",
        "Ninjas and cobras featured in the children's film at the festival.",
        "As far I can tell, the new model is a fact of life.",
        "Rastas gathered at the reggae festival on the beach.",
        "The revolutionary armed forces of the novel never left the page.",
        "Students and workers marched for higher wages on Monday.",
        "The council approved the budget for the national park.",
        "The front of the house was painted blue by the new owners.",
        "The league announced the fixtures for the coming season.",
        "Free parking is available for patients at the hospital.",
        "Tourists in Tibet photographed the monastery at dawn.",
        "The party lasted until midnight and the guests left happy.",
        "The Model United Nations club met in the school library.",
        "Be Strong and Be Well, read the banners at the clinic.",
        "The Family and The Nation were both on the reading list.",
        "The Base of the statue was cleaned; Special Force, the band, played on.",
    ],
)
def test_ordinary_sentences_name_no_party(text: str) -> None:
    assert [m.party for m in mentions(text) if m.party] == []
