"""A foreign state's victims are their country and an unnamed sender is the maker's, as in the dev sets
(tools/corpus/harmonise_actors.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.test_corpus import _tool

actors = _tool("harmonise_actors")
FILLED_C1 = "C1 filled: a foreign state's victims"
FILLED_S1 = "S1 filled: the maker sends"


def _event(category: str, actor: str | None, counterpart: str | None, **fields: Any) -> dict[str, Any]:
    return {"category": category, "actor": actor, "counterpart": counterpart, **fields}


@pytest.mark.parametrize(
    ("counterpart", "location", "text", "victims"),
    [
        ("Russia", "Odesa", "Three civilians were wounded in a Russian drone attack on Odesa.", "Ukraine"),
        ("United States", "Sanaa", "U.S. strikes killed more than 50 civilians in Sanaa.", "Yemen"),
        (
            "Saudi-led coalition",
            "Sanaa",
            "A coalition air strike on a funeral hall in Sanaa killed 82.",
            "Yemen",
        ),
        ("Israel", "Gaza", "Israeli strikes killed 400 civilians in Gaza.", "Palestinians"),
    ],
)
def test_civilians_of_a_foreign_states_attack_are_their_country(
    counterpart: str, location: str, text: str, victims: str
) -> None:
    event = _event("casualty", "civilians", counterpart, location=location)
    assert actors.victims_country(event, text, None) == (victims, FILLED_C1)


@pytest.mark.parametrize(
    ("counterpart", "location", "text", "outcome"),
    [
        (
            "Myanmar military",
            "Mandalay",
            "Riot police shot dead two protesters in Mandalay.",
            "own people: civilians",
        ),
        ("RSF", "El Obeid", "An RSF drone killed nine people in El Obeid.", "left: no state attacker"),
        ("Russia", None, "Russian raids killed 1,015 civilians.", "left: no location"),
        (
            "Turkey",
            "Qamishli",
            "A Turkish drone killed three Iranian pilgrims near Qamishli.",
            "left: a third country named",
        ),
    ],
)
def test_own_people_group_attackers_and_unplaced_victims_stay_civilians(
    counterpart: str, location: str | None, text: str, outcome: str
) -> None:
    event = _event("casualty", "civilians", counterpart, location=location)
    assert actors.victims_country(event, text, None) == (None, outcome)


def test_an_unnamed_sender_is_the_maker_of_every_named_system() -> None:
    event = _event("supply", None, "Kuwait", systems=["bayraktar tb2 drone"], location=None)
    text = "That would make Kuwait the twenty-eighth country to contract for the Bayraktar TB2."
    assert actors.maker_country(event, text, None) == ("Turkey", FILLED_S1)
    with_class_word = _event("supply", None, None, systems=["abrams tank", "assault bridge"], location=None)
    assert (
        actors.maker_country(with_class_word, "Abrams and assault bridges arrived.", None)[0]
        == "United States"
    )


@pytest.mark.parametrize(
    ("actor", "systems", "text", "outcome"),
    [
        ("Denmark", ["f-16 fighter jet"], "Denmark sent F-16s.", "actor named"),
        (
            None,
            ["f-16 fighter jet"],
            "Twenty-four used F-16s will go to the air force.",
            "left: smuggled, seized or second-hand",
        ),
        (
            None,
            ["eurofighter typhoon fighter jet"],
            "The Typhoons are due in 2030.",
            "left: a consortium's system",
        ),
        (
            None,
            ["t129 attack helicopter", "mi-35 attack helicopter"],
            "The fleet grew.",
            "left: a model of unknown maker",
        ),
        (
            None,
            ["himars rocket launcher"],
            "A Chinese credit pays for HIMARS launchers.",
            "left: a third country named",
        ),
    ],
)
def test_a_named_resold_consortium_or_unknown_sender_is_left(
    actor: str | None, systems: list[str], text: str, outcome: str
) -> None:
    event = _event("supply", actor, None, systems=systems, location=None)
    assert actors.maker_country(event, text, None) == (None, outcome)


def test_the_dev_sets_write_both_conventions(shared_data: Path) -> None:
    """The rules follow the dev sets: no foreign state's victims written `civilians`, no null sender."""
    counts = actors.dev_convention(shared_data)
    assert counts["C1", "a foreign state's victims", "the place's country"] >= 5
    assert counts["C1", "a foreign state's victims", "civilians"] == 0
    assert counts["S1", "one maker, not the recipient", "the maker"] >= 10
    assert counts["S1", "one maker, not the recipient", "null"] == 0


def test_the_actor_harmonisation_has_nothing_left_to_change(capsys: pytest.CaptureFixture[str]) -> None:
    assert actors.main(["--check"]) == 0
    assert "# 0 actors changed" in capsys.readouterr().err


def test_a_listed_wars_civilians_are_its_country_from_its_first_year() -> None:
    """Datasheet point 33: Russia's strikes from 2022 hit Ukraine; the Donbas of 2014-2020 stays civilians."""
    unplaced = _event("casualty", "civilians", None, location=None)
    assert actors.war_victims(unplaced, "ukraine-russia", 2024, None) == "Ukraine"
    assert actors.war_victims(unplaced, "ukraine-russia", 2015, None) is None
    assert actors.war_victims(unplaced, "sudan", 2024, None) is None
    abroad = _event("casualty", "civilians", None, location="Belgorod")
    assert actors.war_victims(abroad, "ukraine-russia", 2024, None) is None
