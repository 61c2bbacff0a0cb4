"""`rules_check.problems`: each kind of rule that cannot fire or always fires is refused, by name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from streams.domain.rules import Rule, load_rules
from streams.domain.rules_check import problems


def _rule(tmp_path: Path, **fields: Any) -> Rule:
    item = {"id": "r", "severity": "info", **fields}
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump({"rules": [item]}), encoding="utf-8")
    return load_rules(path)[0]


def test_the_packaged_rules_have_no_problem() -> None:
    assert {rule.id: problems(rule) for rule in load_rules()} == {rule.id: [] for rule in load_rules()}


@pytest.mark.parametrize(
    ("match", "window", "words"),
    [
        ({"category": "casualties"}, None, "category ['casualties'] is not one of"),
        ({"category": "casualty", "status": "confirmed"}, None, "status ['confirmed'] is not one of"),
        ({"category": "casualty", "min_confidence": 1.5}, None, "min_confidence 1.5 is above 1"),
        ({"category": "casualty", "min_confidence": "high"}, None, "min_confidence 'high' is not a number"),
        ({"category": "forecast", "quantity_at_least": 10}, None, "those events carry no quantity"),
        (
            {"category": "supply", "quantity_at_least": "many"},
            None,
            "quantity_at_least 'many' is not a number",
        ),
        ({"category": "casualty", "systems_any": []}, None, "systems_any is an empty list"),
        ({"category": "supply"}, {"within": "0h", "at_least": 2}, "window.within is zero"),
        ({}, None, "it fires on every event"),
        ({"scope": "any"}, None, "it fires on every event"),
        ({"category": ["deployment", "supply", "casualty", "forecast"]}, None, "it fires on every event"),
        (
            {"min_confidence": 0, "corroboration_at_least": 1},
            {"within": "1h", "at_least": 1, "sources": 1},
            "every event",
        ),
        ({"evidence_any": [""]}, None, "it fires on every event"),
    ],
)
def test_a_rule_that_cannot_fire_or_always_fires_is_refused(
    tmp_path: Path, match: dict[str, Any], window: dict[str, Any] | None, words: str
) -> None:
    fields: dict[str, Any] = {"match": match} if match else {}
    if window:
        fields["window"] = window
    found = problems(_rule(tmp_path, **fields))
    assert any(words in problem for problem in found), found


@pytest.mark.parametrize(
    ("match", "window"),
    [
        ({"category": "casualty"}, None),  # one category narrows
        ({"actor": "Russia"}, None),
        ({"min_confidence": 0.8}, None),
        ({"quantity_at_least": 100}, None),  # no category: supply and casualty carry quantities
        ({}, {"within": "24h", "at_least": 3}),  # no condition but a threshold above 1
        ({}, {"within": "24h", "at_least": 1}),  # one claim, but told by two outlets (the default)
        ({"category": "forecast", "evidence_any": ["nuclear test"], "corroboration_at_least": 2}, None),
    ],
)
def test_a_rule_that_can_fire_and_narrows_passes(
    tmp_path: Path, match: dict[str, Any], window: dict[str, Any] | None
) -> None:
    fields: dict[str, Any] = {"match": match} if match else {}
    if window:
        fields["window"] = window
    assert problems(_rule(tmp_path, **fields)) == []
