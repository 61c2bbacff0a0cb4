"""Location: the place the sentence puts the event in, to or at."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from streams.classify.extract.locations import extract_location
from streams.classify.model import Category
from tests.classify.field_accuracy import Score, measure


@pytest.mark.parametrize(
    ("text", "category", "want"),
    [
        ("Ethiopia deployed troops to the Tigray region.", "deployment", "Tigray region"),
        ("Rwandan soldiers are stationed in Mozambique.", "deployment", "Mozambique"),
        ("Shelling killed four people in the village of Nova Huta, officials said.", "casualty", "Nova Huta"),
        ("Strikes pounded southern Lebanon overnight.", "casualty", "southern Lebanon"),
        ("Two soldiers died in Russia's Belgorod region.", "casualty", "Belgorod region"),
        ("Tanks were moved toward the border with Gaza.", "deployment", "Gaza Strip border"),
        ("GOMA - M23 rebels killed 12 people near Sake.", "casualty", "Sake"),
        ("Moscow shipped drones to Tehran.", "supply", None),
        ("Seoul said Pyongyang fired a missile.", "forecast", None),
    ],
)
def test_location(text: str, category: Category, want: str | None) -> None:
    assert extract_location(text, category) == want


def test_adversarial_input_is_fast() -> None:
    for chunk in ("in Kyiv ", "village of A", " ", "a"):
        start = time.perf_counter()
        extract_location(chunk * (1 << 20), "casualty")
        assert time.perf_counter() - start < 1.0


def test_dev_sets_accuracy(shared_data: Path) -> None:
    for name in ("dev-articles.jsonl", "dev-sentences.jsonl"):
        score = measure(name)["location"]
        assert isinstance(score, Score) and score.rate >= 0.72, name
