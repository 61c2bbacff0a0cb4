"""Parties a sentence implies: the country of a named town, of the article's dateline, the attacker's kind."""

from __future__ import annotations

import pytest

from streams.classify import classify
from streams.classify.extract.actors import find_parties
from streams.classify.extract.dateline import dateline_country
from streams.classify.extract.parties import mentions
from streams.classify.model import Category
from streams.classify.text.normalize import normalize


@pytest.mark.parametrize(
    ("text", "category", "actor", "counterpart"),
    [
        # soldiers hit in a town the hand-written gazetteer lacks: the town's country (GeoNames, ISO 3166-2)
        (
            "Seventeen soldiers, two majors and two captains among them, died in a dawn assault on the "
            "Bannu cantonment, an official said.",
            "casualty",
            "Pakistan",
            None,
        ),
        ("Five soldiers were killed in an ELN attack in Arauca.", "casualty", "Colombia", "ELN"),
        ("One Tajik border guard was killed and three hurt.", "casualty", "Tajikistan", None),
        # forces of no named side moving in a country's towns are its own, not a foreign host's
        ("Sixteen armoured vehicles pulled into Roraima on 2 January.", "deployment", "Brazil", None),
        ("Troops were deployed to Lashio after the fighting.", "deployment", "Myanmar", None),
        ("About forty pickups carrying troops rolled into Niamey at nightfall.", "deployment", "Niger", None),
        ("Tanks were sent into Jenin for the first time since 2002.", "deployment", None, None),  # no state
        (  # the maker's forces; the town's country is their host (S1a, corpus/agreement/adjudication.md)
            "Two Typhon launchers were flown into Laoag last week.",
            "deployment",
            "United States",
            "Philippines",
        ),  # maker
        # attackers named by what they are, never the side that lost them
        (
            "Pirates boarded a tanker off Togo and kidnapped five crew members.",
            "casualty",
            "seafarers",
            "pirates",
        ),
        ("Twenty-one militants were killed in the raid, the army said.", "casualty", None, None),
        # the attacker is the party whose men, machines or strikes struck, not a reduced relative
        (
            "Forty-six people died when Pakistani aircraft bombed Afghanistan's eastern Paktika province.",
            "casualty",
            "Afghanistan",
            "Pakistan",
        ),
        (
            "Turkish air, drone and artillery strikes in Idlib killed more than seventy government soldiers.",
            "casualty",
            "Syria",
            "Turkey",
        ),
        (
            "His death raised to thirty-two the number of Georgian servicemen killed in Afghanistan.",
            "casualty",
            "Georgia",
            None,
        ),
        (
            "Several Iranian soldiers died when Israel, for the first time, bombed Iranian positions.",
            "casualty",
            "Iran",
            "Israel",
        ),
        ("Strikes attributed to Jordan had killed five people.", "casualty", "civilians", "Jordan"),
        (
            "More than a thousand civilians have died in ADF massacres around Beni.",
            "casualty",
            "civilians",
            "ADF",
        ),
        ("About 300 soldiers surrendered to the Arakan Army on Sunday.", "casualty", None, "Arakan Army"),
        # the one who predicts is not the one predicted to act
        ("El Fasher could fall at any moment, the US envoy warned.", "forecast", None, None),
        # a forecast's actor is the party whose move is predicted
        (
            "Officials warned that a Russian offensive on Sumy could come within weeks.",
            "forecast",
            "Russia",
            None,
        ),
    ],
)
def test_implied_parties(text: str, category: Category, actor: str | None, counterpart: str | None) -> None:
    assert find_parties(text, category, None) == (actor, counterpart)


def test_generated_towns_are_places_with_their_country() -> None:
    found = [
        (m.text, m.kind, m.country) for m in mentions("Soldiers moved into Lashio and Arauca on Monday.")
    ]
    assert found == [("Lashio", "place", "Myanmar"), ("Arauca", "place", "Colombia")]


def test_a_town_that_is_part_of_a_persons_name_is_no_place() -> None:
    assert [m.text for m in mentions("Officials said Mohammed Hassan Ali was detained.")] == []


@pytest.mark.parametrize(
    ("body", "country"),
    [
        ("BAMAKO - Roughly twenty soldiers died.", "Mali"),
        ("TOKYO, Dec 7 - Chinese fighters flew.", "Japan"),
        ("JENIN, West Bank \u2014 An Israeli soldier was killed.", "Palestinians"),
        ("ARAUCA, Colombia - Two soldiers were killed.", "Colombia"),
        ("World By Post staff Dec. 16, 2024\nKYIV \u2014 North Korean soldiers", "Ukraine"),
        ("UNITED NATIONS (AP) - Gunmen opened fire.", None),
        ("Washington announced on Friday - then denied - a deal.", None),
    ],
)
def test_dateline_country(body: str, country: str | None) -> None:
    assert dateline_country(normalize(body)) == country


def test_unnamed_soldiers_of_a_dateline_article_are_its_countrys() -> None:
    body = (
        "BAMAKO - Ten soldiers were killed on Sunday when their convoy was ambushed near the border, "
        "the army said."
    )
    events = classify(body)
    assert [(e.category, e.actor) for e in events] == [("casualty", "Mali")]
    assert [(e.category, e.actor) for e in classify(body.removeprefix("BAMAKO - "))] == [("casualty", None)]
