"""Quantities: the count the event is about, coded as the labelling guide says."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from streams.classify.extract.quantities import extract_quantity
from streams.classify.model import Category
from tests.classify.field_accuracy import Score, measure


@pytest.mark.parametrize(
    ("text", "category", "value", "unit", "approx"),
    [
        ("Ethiopia deployed about 3,000 troops to Tigray on Jan. 12.", "deployment", 3000, "troops", True),
        ("North Korea sent half a million artillery shells.", "supply", 500000, "shells", False),
        ("Half a dozen soldiers were wounded in the raid.", "casualty", 6, "wounded", False),
        ("Tens of thousands of soldiers massed near the border.", "deployment", 10000, "soldiers", True),
        ("A 1,200-strong battalion crossed into Mali in 2021.", "deployment", 1200, "troops", False),
        ("France withdrew its last 1,500 soldiers from Niger.", "deployment", 1500, "soldiers", False),
        ("Sweden pledged a $1.2 billion military aid package.", "supply", 1_200_000_000, "usd", False),
        ("Canada sent eight Leopard 2 tanks to Kyiv.", "supply", 8, "tanks", False),
        ("At least 12 soldiers were killed and 20 wounded in the clash.", "casualty", 12, "killed", True),
        ("The strike killed nine people, four of them children, in Kharkiv.", "casualty", 9, "killed", False),
        # an appositive that ends in "among them", a toll raised with the verb first, bodies counted
        ("Sixteen people, a child among them, were killed and 25 hurt.", "casualty", 16, "killed", False),
        ("The ministry raised the toll of Monday's strikes to 558.", "casualty", 558, "killed", False),
        ("At least 900 bodies have been recovered in Goma.", "casualty", 900, "killed", True),
        ("Dozens of fighters were captured near Goma.", "casualty", 12, "captured", True),
        # killing worded without "killed" ("eliminated", "gunned down"), a unit name with an ordinal between
        ("More than 200 militants have been eliminated since May.", "casualty", 200, "killed", True),
        ("At least 30 villagers were gunned down in the raid.", "casualty", 30, "killed", True),
        ("Eleven soldiers of the 19th brigade were killed in an ambush.", "casualty", 11, "killed", False),
        ("Over 40 people were killed or badly injured in the blast.", "casualty", 40, "casualties", True),
        # people taken with no harm word, counted on either side of the verb
        (
            "Residents said around 100 people were taken, the head teacher among them.",
            "casualty",
            100,
            "captured",
            True,
        ),
        (
            "Fighters who stormed the village carried off 36 women and children.",
            "casualty",
            36,
            "captured",
            False,
        ),
        (
            "Officials put losses at 70,000 killed or wounded since 2022.",
            "casualty",
            70000,
            "casualties",
            False,
        ),
        ("More than 2,300 people were injured across the region.", "casualty", 2300, "wounded", True),
        ("The toll of soldiers killed in the offensive has risen to 41.", "casualty", 41, "killed", False),
        # a toll in words: "four hundred" is 400, not four; a quake's magnitude is no count
        ("Air strikes killed more than four hundred Palestinians.", "casualty", 400, "killed", True),
        ("The toll from the bombing climbed to one hundred.", "casualty", 100, "killed", False),
        ("A 6.1-magnitude quake struck as shelling killed 14 people.", "casualty", 14, "killed", False),
        ("Fighters massacred more than 200 villagers in Wad al-Nura.", "casualty", 200, "killed", True),
        # a number in words stops the words of the number before it, as digits do, unless the two share
        # a noun phrase (a partitive, a coordination): the count is then the first, as labelled
        ("Five paramedics were among thirty-eight people killed.", "casualty", 38, "killed", False),
        ("Some 400,000 people fled and at least three hundred died.", "casualty", 300, "killed", True),
        ("Seven of the fifty tanks rolled past the stand.", "deployment", 7, "tanks", False),
        # "lost their lives" is a death toll (49 of 49 corpus labels), not losses
        ("Ten soldiers and eight civilians lost their lives.", "casualty", 10, "killed", False),
        ("Governor Masari said 333 students were still unaccounted for.", "casualty", 333, "missing", False),
        ("A two hundred and sixteen-strong contingent flew out.", "deployment", 216, "troops", False),
    ],
)
def test_quantity(text: str, category: Category, value: float, unit: str, approx: bool) -> None:
    got = extract_quantity(text, category)
    assert got is not None
    assert (got.value, got.unit, got.approx) == (value, unit, approx)


def test_range_keeps_low_and_high() -> None:
    got = extract_quantity("Between 4,000 and 6,000 troops were sent to the front.", "deployment")
    assert got is not None and (got.value, got.low, got.high) == (4000, 4000, 6000)
    got = extract_quantity("Between twenty and thirty soldiers pushed past the line.", "deployment")
    assert got is not None and (got.value, got.low, got.high) == (20, 20, 30)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("The 240-mm launchers were moved on December 23, 2024.", "deployment"),
        ("Russia fired Shahed-136 drones and an F-16 crashed in 2024.", "casualty"),
        ("No date was given for the 155mm shell deliveries.", "supply"),
        ("The drones flew about 1,100 km in 40 minutes.", "supply"),
        ("Up to 30,000 troops could be sent next year.", "forecast"),
        # "taken" alone is no captive's count: the trucks are not the people taken
        ("The raiders left in three stolen trucks and may have taken guards with them.", "casualty"),
    ],
)
def test_not_a_quantity(text: str, category: Category) -> None:
    assert extract_quantity(text, category) is None


def test_adversarial_input_is_fast() -> None:
    for chunk in ("1", "1,", "$1 ", "one ", "killed 5 ", " "):
        start = time.perf_counter()
        extract_quantity(chunk * (1 << 20), "casualty")
        assert time.perf_counter() - start < 1.0


def test_dev_sets_accuracy(shared_data: Path) -> None:
    for name in ("seed-article.jsonl", "dev-articles.jsonl", "dev-sentences.jsonl"):
        score = measure(name)["quantity"]
        assert isinstance(score, Score)
        assert score.rate >= 0.92, name


def test_two_kinds_of_forces_add_up_but_civilian_staff_do_not() -> None:
    both = extract_quantity("Minsk will send 300 engineers and 500 paratroopers to the border.", "deployment")
    assert both is not None and (both.value, both.unit) == (800, "personnel")
    apart = extract_quantity("The base will hold 900 troops and about 150 civilian staff.", "deployment")
    assert apart is not None and (apart.value, apart.unit) == (900, "troops")
