"""Sources: who the claim is attributed to, in the labels' wording."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from streams.classify.extract.sources import extract_source
from tests.classify.field_accuracy import Score, measure


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Ethiopia moved troops north, according to Reuters.", "Reuters"),
        ("Armenia lost 40 soldiers, the defence ministry said in a statement.", "defence ministry"),
        ("India's army said five of its soldiers died.", "Indian army"),
        ("Two officials told AFP that the convoy had left Goma.", "two officials, via AFP"),
        ("The IDF said 12 rockets were fired.", "Israel Defense Forces"),
        (
            "Iran shipped drones, according to Yonhap, citing intelligence sources.",
            "Yonhap, citing intelligence sources",
        ),
        ("Military analysts say the siege could last months.", "military analysts"),
        ("NATO officials fear Russia might test the alliance's resolve.", "NATO officials"),
        ("The move follows reports that Wagner fighters have arrived in Belarus.", None),  # reports: a noun
        ("Reuters reports that Iran shipped drones to Russia.", "Reuters"),
        ("Top U.N. officials warned that the famine would spread.", "top U.N. officials"),
        ("Drones hit the depot, local media reported.", "local media"),
        ("Russia massed troops near the border.", None),
        ("Adm. Jane Doe's warning that China could move has shaped planning.", "Adm. Jane Doe"),
        # A participle attributes too: "with X estimating ...", ", X saying ..."
        (
            "Shelling went on near Kherson, with Ukraine's General Staff estimating 300 Russian losses.",
            "Ukraine's General Staff",
        ),
        ("Sudan moved troops to El Fasher, the army saying the city would hold.", "army"),
        ("Ukrainian forces pushed forward, claiming two villages.", None),
    ],
)
def test_source(text: str, want: str | None) -> None:
    assert extract_source(text) == want


def test_adversarial_input_is_fast() -> None:
    for chunk in (", a said", "a ", ",", "according to x ", "said "):
        start = time.perf_counter()
        extract_source(chunk * (1 << 20))
        assert time.perf_counter() - start < 1.0


def test_dev_sets_accuracy(shared_data: Path) -> None:
    # the two labellers differ: one names the country of an official for forecasts, one the body
    score = measure("dev-sentences.jsonl")["source"]
    assert isinstance(score, Score) and score.rate >= 0.6
