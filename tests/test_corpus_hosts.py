"""A deployment's host country is its counterpart, as in the dev sets (tools/corpus/harmonise_hosts.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_corpus import _tool

hosts = _tool("harmonise_hosts")
RELATIONS = hosts.read_relations()
SEA = "left: border, sea or route"


def _deployment(actor: str | None, location: str | None, counterpart: str | None = None) -> dict[str, Any]:
    return {"category": "deployment", "actor": actor, "counterpart": counterpart, "location": location}


@pytest.mark.parametrize(
    ("actor", "location", "text", "host"),
    [
        ("North Korea", "Kursk", "North Korean troops sent to Kursk.", "Russia"),  # dev A-s022
        ("Germany", "Vilnius", "20 German soldiers landed in Vilnius.", "Lithuania"),  # dev A-s040
        ("NATO", "Lithuania", "NATO first stationed troops in Lithuania.", "Lithuania"),  # dev A-a15
        ("United States", "Agadez", "The withdrawal of U.S. forces from Agadez.", "Niger"),  # dev B-s086
    ],
)
def test_a_partners_ground_fills_the_counterpart(actor: str, location: str, text: str, host: str) -> None:
    assert hosts.decide(_deployment(actor, location), text, RELATIONS, None)[0] == host


@pytest.mark.parametrize(
    ("actor", "location", "text", "outcome"),
    [
        ("Russia", "Ukraine", "Russia added two groups inside Ukraine.", "left: hostile pair"),  # dev A-s014
        ("Lebanon", "Tyre district", "Lebanese army units moved into the Tyre district.", "own ground: null"),
        ("United States", "Red Sea", "Hegseth ordered the Vinson to the Red Sea.", SEA),
        ("RSF", "al-Khoy", "The RSF dispatched vehicles toward al-Khoy.", "left: armed group or other"),
        ("United Kingdom", "Tonga", "HMS Spey turned up off Tonga.", SEA),
        ("Venezuela", "Colombian border", "Troops reinforce the Colombian border.", SEA),
        ("Germany", "Lithuania", "Germany is in Lithuania.", "counterpart already set"),
    ],
)
def test_enemy_own_sea_border_and_group_deployments_are_left(
    actor: str, location: str, text: str, outcome: str
) -> None:
    counterpart = "NATO" if outcome == "counterpart already set" else None
    assert hosts.decide(_deployment(actor, location, counterpart), text, RELATIONS, None) == (None, outcome)


def test_a_generated_town_counts_only_where_its_theatre_names_the_country() -> None:
    """GeoNames' Halfaya is in Syria; the Sudan theatre's Halfaya is not, and its file never names Syria."""
    event = _deployment("SAF", "Halfaya")
    text = "The army will push south from Halfaya."
    assert hosts.decide(event, text, RELATIONS, frozenset({"Sudan"}))[0] is None
    assert hosts.place_country("Baja peninsula") == (None, "not only a place name")


def test_the_host_harmonisation_has_nothing_left_to_change(capsys: pytest.CaptureFixture[str]) -> None:
    assert hosts.main(["--check"]) == 0
    assert "# 0 counterparts filled" in capsys.readouterr().err
