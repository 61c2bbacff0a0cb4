"""An event's scope: incident news against running totals, standing presence and history."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from streams.classify import Category, classify
from streams.classify.detect.scope import (
    CUES,
    MODEL,
    _by_rule,
    cue_names,
    features,
    scoped,
    scopes,
    sentence_cues,
)

CORPUS = Path(__file__).resolve().parents[3] / "corpus"

# Wordings of issue 16 and the taxonomy, written for these tests (not taken from the corpus).
CUMULATIVE = [
    ("More than 40,000 people have died since the war began, the health ministry said.", "casualty"),
    ("The 2020-2022 war killed hundreds of thousands of people.", "casualty"),
    ("Some 2,000 US troops are based in Syria.", "deployment"),
]
INCIDENT = [
    ("An air strike killed 120 soldiers at a base near Kharkiv on Sunday, officials said.", "casualty"),
    ("Gunmen killed 35 villagers in an overnight raid on Tuesday, the army said.", "casualty"),
    ("The ministry said 800 troops were sent to the border on Monday.", "deployment"),
]


def test_a_scope_model_is_shipped() -> None:
    assert MODEL is not None and MODEL.weights.any() and 0.0 < MODEL.threshold < 1.0


@pytest.mark.parametrize(("text", "category"), CUMULATIVE)
def test_totals_presence_and_history_are_cumulative(text: str, category: str) -> None:
    events = [e for e in classify(text) if e.category == category]
    assert [e.scope for e in events] == ["cumulative"]


@pytest.mark.parametrize(("text", "category"), INCIDENT)
def test_news_of_one_occurrence_is_an_incident(text: str, category: str) -> None:
    events = [e for e in classify(text) if e.category == category]
    assert [e.scope for e in events] == ["incident"]


def test_scope_is_published_with_the_event() -> None:
    (event,) = [e for e in classify(CUMULATIVE[0][0]) if e.category == "casualty"]
    assert event.to_dict()["scope"] == "cumulative"


def test_a_forecast_is_always_an_incident() -> None:
    text = "Analysts expect more than 40,000 people to have died since the war began by next year."
    low = text.lower()
    assert scopes(low, [(0, len(text))], ["forecast"], MODEL) == ["incident"]
    assert scopes(low, [(0, len(text))], ["casualty"], MODEL) == ["cumulative"]


def test_without_weights_the_cues_decide() -> None:
    """No shipped weights: a strong cue makes it cumulative; a weak or an incident cue alone does not."""
    texts = {
        "Some 2,000 troops are based in the region.": "cumulative",
        "Troops still patrol the road.": "incident",  # "still": a weak cue
        "The army sent 300 more troops on Monday.": "incident",
    }
    for text, want in texts.items():
        assert scopes(text.lower(), [(0, len(text))], ["deployment"], None) == [want], text


def test_the_cues_name_the_category_and_what_they_found() -> None:
    names = cue_names("more than 40,000 have died since the war began, so far", "casualty")
    assert names[0] == "c:casualty"
    assert {"sc:since", "sc:so_far", "sc:years_of"} <= set(names)


def test_a_tolls_cues_are_also_paired_with_its_category() -> None:
    """A toll's cues weigh on their own too (c:casualty|sc:...); other categories' cues are not paired."""
    text = "in which 143 people were killed and 80 remain in hospital"
    assert {"c:casualty|sc:still", "c:casualty|sc:still_missing"} <= set(cue_names(text, "casualty"))
    assert not any("|" in name for name in cue_names(text, "deployment"))
    assert MODEL is not None
    assert MODEL._pair_weight("casualty", ["sc:still"]) != 0.0  # the shipped weights learnt the pair
    assert MODEL._pair_weight("deployment", ["sc:still"]) == 0.0


def test_scoped_sets_each_event_of_an_article_by_its_own_sentence() -> None:
    body = f"{INCIDENT[0][0]} {CUMULATIVE[0][0]}"
    events = [e for e in classify(body) if e.category == "casualty"]
    assert [e.scope for e in events] == ["incident", "cumulative"]
    reset = [replace(e, scope="incident") for e in events]
    assert [e.scope for e in scoped(reset, body.lower(), MODEL)] == ["incident", "cumulative"]
    assert scoped([], body.lower()) == []


def test_inference_equals_the_training_features() -> None:
    """ScopeModel.logits (per sentence, plus the category's weight) is the sparse product of features()."""
    assert MODEL is not None
    body = f"{INCIDENT[0][0]} {CUMULATIVE[0][0]} {CUMULATIVE[2][0]}"
    low = body.lower()
    spans = [(0, len(INCIDENT[0][0]))] * 2 + [(len(INCIDENT[0][0]) + 1, len(body))]
    categories: list[Category] = ["casualty", "deployment", "casualty"]
    rows, cols, vals = features(low, spans, categories)
    expected = np.bincount(rows, weights=MODEL.weights[cols] * vals, minlength=len(spans)) + MODEL.bias
    assert np.allclose(MODEL.logits(low, spans, categories), expected, atol=1e-5)


def test_a_cues_words_are_in_every_match_of_its_regex() -> None:
    """The substring filter only saves time: on the corpus's sentences it never hides a match."""
    sentences = [
        json.loads(line).get("text", "").lower()
        for path in sorted((CORPUS / "sentences").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert len(sentences) > 1000
    for name, cue in CUES.items():
        matched = [s for s in sentences if cue.regex.search(s)]
        assert matched, name
        assert all(cue.search(s) for s in matched), name


def test_one_pass_over_the_cue_words_finds_what_each_cue_finds() -> None:
    """sentence_cues runs only the regexes whose words one automaton pass found: the same cues, in order."""
    sentences = [
        json.loads(line).get("text", "").lower()
        for path in sorted((CORPUS / "sentences").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    found = 0
    for sentence in sentences:
        want = ["sc:" + name for name, cue in CUES.items() if cue.search(sentence)]
        assert sentence_cues(sentence) == want, sentence
        found += len(want)
    assert found > len(sentences) // 10  # the comparison is not vacuous


def test_an_increment_is_news_unless_a_total_comes_with_it() -> None:
    """The words of a running total ("has sent") must not outvote "3,000 more" (the surge alert needs it)."""
    assert MODEL is not None
    for text, want in [
        ("north korea has also sent some 3,000 more soldiers to russia, the spy agency said.", "incident"),
        ("with another 600 arriving, the number sent since july climbed to 3,090.", "cumulative"),
    ]:
        eager = replace(MODEL, threshold=0.0)  # the model alone would call every claim cumulative
        assert scopes(text, [(0, len(text))], ["deployment"], eager) == [want], text


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a battle of a few days is one incident, whatever the words of a total around it
        ("at least 231 soldiers have been killed in the fighting on the coast since thursday.", "incident"),
        ("twelve people were killed in the past 24 hours, the ministry said.", "incident"),
        ("more than 1,300 people died in three days of clashes, a monitor said.", "incident"),
        ("air strikes killed at least 101 people in less than 12 hours, the civil defence said.", "incident"),
        ("reservists were trucked to the border within 48 hours of getting their notices.", "incident"),
        # two days of a month are one occurrence's span, not a calendar day alone
        (
            "gunmen killed at least 131 villagers in two hamlets on november 29 and 30, a un inquiry found.",
            "incident",
        ),
        (
            "some 184 people were killed between 6 and 8 december in the port district, a monitor said.",
            "incident",
        ),
        # a corrected toll of one attack is that attack's news (an update alert needs it)
        ("the ministry said monday's bombardment had killed 558 people.", "incident"),
        ("officials raised the toll of monday's strikes to 558.", "incident"),
        # unless a long period comes with it
        ("more than 40,000 have died since the war began, 300 of them since thursday.", "cumulative"),
        ("5,000 were killed so far this year, 40 of them in the past 24 hours.", "cumulative"),
    ],
)
def test_a_span_of_days_or_a_corrected_toll_is_news(text: str, want: str) -> None:
    assert MODEL is not None
    eager = replace(MODEL, threshold=0.0)  # the model alone would call every claim cumulative
    assert scopes(text, [(0, len(text))], ["casualty"], eager) == [want], text


@pytest.mark.parametrize(
    "text",
    [
        "saudi arabia bought df-3 missiles from china in the late 1980s.",
        "the army sent two brigades to the region in 1994.",
        "ten years ago nearly 1,200 soldiers were posted there.",
        "the missile force goes back to the late 1980s, when the kingdom bought df-3s from china.",
    ],
)
def test_an_event_long_before_the_report_is_history(text: str) -> None:
    assert MODEL is not None
    shy = replace(MODEL, threshold=1.0)  # the model alone would call every claim an incident
    assert scopes(text, [(0, len(text))], ["supply"], shy) == ["cumulative"], text


def test_history_dated_to_now_by_news_stays_news() -> None:
    """A year long past beside news of today ("born in 1960 died on Tuesday") does not make it history."""
    assert MODEL is not None
    text = "a man born in 1960 died in hospital, lifting the toll of monday's strike to five."
    shy = replace(MODEL, threshold=1.0)
    assert scopes(text, [(0, len(text))], ["casualty"], shy) == ["incident"]


@pytest.mark.parametrize(
    "text",
    [
        "the ministry marked on thursday the twelfth anniversary of the attack that killed 1,400 people.",
        "thousands marched on sunday to mark two years since the blast at the port killed 220 people.",
    ],
)
def test_what_an_anniversary_marks_is_history_whatever_day_it_is_marked(text: str) -> None:
    assert MODEL is not None
    shy = replace(MODEL, threshold=1.0)  # the model alone would call every claim an incident
    assert scopes(text, [(0, len(text))], ["casualty"], shy) == ["cumulative"], text


def test_a_memorial_beside_news_of_a_toll_is_not_history_by_rule() -> None:
    """News beside a memorial ("the toll of monday's strike rose as a memorial was held") is left to the
    model, not made history by the memorial."""
    text = "the toll of monday's strike rose to 120 as a memorial service was held."
    cues = sentence_cues(text)
    assert "sc:memorial" in cues and "sc:correction" in cues
    assert _by_rule(cues) is not True


@pytest.mark.parametrize(
    "text",
    [
        "clashes between the army and al-shabaab militants killed 120 soldiers and 80 fighters on tuesday.",
        "sunday's strike on the market killed 31 people.",
    ],
)
def test_a_toll_dated_to_its_day_is_an_incident_by_rule(text: str) -> None:
    """The guide's own incident ("killed 3 in Sunday's strike"): a weekday dating the occurrence."""
    assert MODEL is not None
    eager = replace(MODEL, threshold=0.0)  # the model alone would call every claim cumulative
    assert "sc:event_day" in sentence_cues(text)
    assert scopes(text, [(0, len(text))], ["casualty"], eager) == ["incident"], text


def test_the_day_of_a_statement_does_not_date_the_claim() -> None:
    """ "said on Tuesday" dates the report, not a running total's occurrence: left to the model."""
    text = "more than 300 soldiers have died in the region, the ministry said on tuesday."
    cues = sentence_cues(text)
    assert "sc:day" in cues and "sc:event_day" not in cues
    assert _by_rule(cues) is None


@pytest.mark.parametrize(
    "text",
    [
        "rebels claimed the raid on the theatre, in which 143 people were killed and 80 remain in hospital.",
        "forty soldiers died, nine were hurt and six remain unaccounted for after the assault on the base.",
        "thirty people were pulled out alive and 30 are still missing, the regional governor said.",
    ],
)
def test_the_wounded_or_missing_still_counted_are_news_of_the_occurrence(text: str) -> None:
    """ "80 remain in hospital" is about the wounded of one attack: the weak cue `still` ("remain") must
    not make its toll a running total (22 of 22 such corpus events are labelled incident)."""
    assert MODEL is not None
    eager = replace(MODEL, threshold=0.0)  # the model alone would call every claim cumulative
    cues = sentence_cues(text)
    assert "sc:still_missing" in cues and "sc:still" in cues
    assert scopes(text, [(0, len(text))], ["casualty"], eager) == ["incident"], text


def test_a_standing_count_of_the_missing_is_not_read_as_news() -> None:
    """A list of the missing as of a date (no "remain"/"still") stays with the model, and a total with
    "still missing" keeps its total cue out of the news rule."""
    assert "sc:still_missing" not in sentence_cues(
        "some 7,200 soldiers were on the list of the missing as of july."
    )
    cues = sentence_cues("in all, 1,900 people are still missing since the war began.")
    assert "sc:still_missing" in cues and _by_rule(cues) is not False
