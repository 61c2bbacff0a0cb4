"""The learned status: applied after the rules, never over a denial, and better than the rules where it
was chosen (the validation scores `sitrep train` writes beside the weights)."""

from __future__ import annotations

import json
from dataclasses import replace
from importlib.resources import files

import numpy as np

from streams.classify import classify
from streams.classify.detect.status_model import CONFIG_FILE, LEARNED, MODEL, StatusModel, with_status
from streams.classify.text.normalize import lower_same_length, normalize

DENIAL = "Berlin denied that it had sent Taurus missiles to Kyiv."
PLAN = "Seoul agreed on Tuesday to send 20 howitzers to Warsaw next year."


def _forcing(status: str) -> StatusModel:
    """A model whose bias picks `status` whatever the words."""
    assert MODEL is not None
    bias = np.full(len(LEARNED), -100.0, dtype=np.float32)
    bias[LEARNED.index(status)] = 100.0
    return StatusModel(np.zeros_like(MODEL.weights), bias)


def test_the_model_sets_the_status_of_every_event_but_a_denial() -> None:
    text = f"{PLAN} {DENIAL}"
    ruled = classify(text, status_model=None)
    assert {e.status for e in ruled} >= {"denied"}, "the rules read the denial"
    low = lower_same_length(normalize(text))
    got = with_status(ruled, low, _forcing("expected"))
    assert [e.status for e in got] == ["denied" if e.status == "denied" else "expected" for e in ruled]


def test_an_event_the_model_agrees_with_is_the_same_object() -> None:
    ruled = classify(PLAN, status_model=None)
    assert ruled
    low = lower_same_length(normalize(PLAN))
    same = [replace(e, status="reported") for e in ruled]
    assert all(a is b for a, b in zip(with_status(same, low, _forcing("reported")), same, strict=True))


def test_without_weights_the_rules_status_stands() -> None:
    ruled = classify(PLAN, status_model=None)
    assert with_status(ruled, lower_same_length(normalize(PLAN)), None) == ruled


def test_the_shipped_model_beat_the_rules_on_validation() -> None:
    config = json.loads(files("streams.classify").joinpath("data", CONFIG_FILE).read_text(encoding="utf-8"))
    validation = config["validation"]
    assert validation["accuracy_by_c"][str(config["c"])] > validation["rules_alone"]
