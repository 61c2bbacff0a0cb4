"""The learned detector beside the rules: what it adds, what it may not add, its confidence, the version."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from streams.classify import CLASSIFIER_VERSION, classify, resources
from streams.classify.detect.learned import DETECTOR
from streams.classify.detect.status import fallback_status
from streams.classify.model import CATEGORIES
from streams.classify.pipeline import cues, prepare

# Wordings of issue 13 that the rules miss (written for the issue, not taken from the corpus).
RULES_MISS = [
    ("A deal for the rockets was signed in Minsk.", "supply"),
    ("The last convoy crossed the frontier at dawn.", "deployment"),
    ("Units were regrouping near Kupiansk, the general staff said.", "deployment"),
    ("A new division was stood up near the border.", "deployment"),
    ("Analysts say the army is poised to launch an assault on the port.", "forecast"),
]


def test_a_detector_is_shipped() -> None:
    assert DETECTOR is not None
    assert DETECTOR.weights.shape[1] == 4 and DETECTOR.weights.any()


def test_the_detector_finds_what_the_rules_miss() -> None:
    """A retrain may move one wording across the threshold; the share found is what must hold."""
    assert all(classify(text, detector=None) == [] for text, _ in RULES_MISS)
    missed = [text for text, category in RULES_MISS if category not in {e.category for e in classify(text)}]
    assert len(missed) <= 1, missed


def test_an_added_event_gets_a_status_and_the_extractors_fields() -> None:
    body = "Russian units were regrouping near Kupiansk on Monday, the general staff said."
    (event,) = classify(body, "2025-03-04T00:00:00Z")
    assert event.category == "deployment" and event.status == "reported"
    assert (event.actor, event.location, event.source) == ("Russia", "Kupiansk", "general staff")
    planned = classify("Russian units will be regrouping near Kupiansk next week, the general staff said.")
    assert [(e.category, e.status) for e in planned] == [("deployment", "planned")]


@pytest.mark.parametrize(
    "text",
    [
        "NATO has no combat troops in Ukraine.",
        "No troops will be deployed to Ukraine, the chancellor said.",
    ],
)
def test_the_detector_reads_a_negation_itself(text: str) -> None:
    """No sentence-wide veto on "no" or "never" binds the model (learned.GUARDS): the shipped model
    reads these negations from its own words and adds nothing."""
    assert "deployment" not in {e.category for e in classify(text)}


def test_a_negation_elsewhere_in_the_sentence_does_not_veto_the_detector() -> None:
    """ "No" about something else ("with no warning") no longer keeps the model from a deployment."""
    assert DETECTOR is not None
    text = "More troops are heading to the Gulf ahead of a strike that may come with no warning."
    eager = replace(DETECTOR, keep=(1e-9,) * 4)
    assert "deployment" in {e.category for e in classify(text, detector=eager)}


@pytest.mark.parametrize(
    "text",
    [
        "No casualties were reported after the strike on the depot.",
        "Floods killed more than 200 people in Mokwa, officials said.",
    ],
)
def test_a_casualty_s_own_vetoes_bind_the_detector(text: str) -> None:
    """A reporter's "no casualties" and a death of nature are never a casualty, whatever the model."""
    assert DETECTOR is not None
    eager = replace(DETECTOR, keep=(1e-9,) * 4)  # a model that would add every category it can
    assert "casualty" not in {e.category for e in classify(text, detector=eager)}


@pytest.mark.parametrize(
    ("text", "harmed"),
    [
        ("Turkey maintains thousands of soldiers in northern Iraq.", False),
        ("Thousands of soldiers massed in northern Iraq, officials said.", False),
        ("Steps were taken to secure the crossing.", False),
        ("Four of the attackers were detained, police said.", True),
        ("Three marines are unaccounted for after the raid.", True),
        ("Several residents were led away by the raiders during the night.", True),
    ],
)
def test_the_detector_reads_harm_to_people_from_the_words(text: str, harmed: bool) -> None:
    """No list of harm words gates a casualty the model adds (it cost recall on captives: "were led
    away" has none); the shipped model tells a toll from a garrison by itself."""
    assert ("casualty" in {e.category for e in classify(text)}) is harmed


def test_confidence_is_the_calibrated_probability() -> None:
    assert DETECTOR is not None
    text = next(text for text, _ in RULES_MISS if len(classify(text)) == 1)
    prepared = prepare(text)
    logits = DETECTOR.logits(
        prepared.low,
        [(c.start, c.end) for c in prepared.candidates],
        cues(prepared.candidates, DETECTOR.previous),
        prepared.before(),
    )
    (event,) = classify(text)
    column = CATEGORIES.index(event.category)
    assert event.confidence == DETECTOR.confidence(column, float(logits[0][column]), False)
    assert 0.0 < event.confidence < 1.0


def test_the_detector_reads_the_sentence_before() -> None:
    """Issue 13: an actor or a verb in the sentence before counts, for an article's sentences."""
    assert DETECTOR is not None and DETECTOR.context > 0
    prepared = prepare(
        "Russian troops crossed the frontier overnight.\n"
        "More soldiers would follow within days, the ministry said."
    )
    assert [c.index for c in prepared.candidates] == [0, 1]
    spans = [(c.start, c.end) for c in prepared.candidates]
    names = cues(prepared.candidates, DETECTOR.previous)
    nothing_before = [(start, start) for start, _ in spans]
    read = DETECTOR.logits(prepared.low, spans, names, prepared.before())
    unread = DETECTOR.logits(prepared.low, spans, names, nothing_before)
    assert np.array_equal(read[0], unread[0])  # the first sentence has none before it
    assert not np.allclose(read[1], unread[1])


def test_the_version_names_the_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "data"
    shutil.copytree(Path(resources.__file__).parent / "data", copy)
    monkeypatch.setattr(resources, "_DATA", copy)
    assert CLASSIFIER_VERSION.endswith("+" + resources.data_digest()[:12])
    (copy / "MODEL_CARD.md").write_text("prose is not data\n", encoding="utf-8")
    assert CLASSIFIER_VERSION.endswith("+" + resources.data_digest()[:12])
    config = copy / "detector.json"
    settings = json.loads(config.read_text(encoding="utf-8"))
    settings["c"] += 0.5  # one number of the data changes
    config.write_text(json.dumps(settings), encoding="utf-8")
    assert not CLASSIFIER_VERSION.endswith("+" + resources.data_digest()[:12])


@pytest.mark.parametrize("category", ["deployment", "supply", "casualty", "forecast"])
def test_a_sentence_that_kept_no_hit_still_gets_a_status(category: str) -> None:
    """An added category's status when the sentence kept no lexicon hit (it once raised IndexError)."""
    low = "the column moved at dawn, officials said."
    status = fallback_status([], frozenset(), category, low, headline=False, end=len(low))
    assert status in ("reported", "planned", "possible", "expected", "denied")
