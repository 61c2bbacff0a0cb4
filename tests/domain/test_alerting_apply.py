"""`alerting.apply`: one rule with its state in a mapping, as the alert stage's table and the
offline alert evaluation both keep it."""

from __future__ import annotations

from typing import Any

from streams.domain.alerting import apply
from streams.domain.rules import load_rules

RULES = {rule.id: rule for rule in load_rules()}


def _supply(claim: str, recipient: str) -> dict[str, Any]:
    return {
        "event_id": f"e-{claim}", "article_id": f"a-{claim}", "claim_id": claim, "category": "supply",
        "status": "reported", "actor": "North Korea", "counterpart": recipient,
        "systems": ["kn-23 ballistic missile"], "evidence": {"text": "KN-23 missiles were handed over."},
    }  # fmt: skip


def test_apply_keeps_group_state_and_counterparts_in_the_mapping() -> None:
    rule = RULES["ballistic-missile-to-new-recipient"]
    state: dict[str, Any] = {}
    first = apply(rule, _supply("c1", "Russia"), 0.0, state)
    assert first is not None and first["group"] == "North Korea->Russia"
    assert state[f"{rule.id}|North Korea|counterparts"] == ["Russia"]
    assert state[f"{rule.id}|North Korea->Russia"]["last_fired"] == 0.0
    assert apply(rule, _supply("c2", "Russia"), 60.0, state) is None, "a recipient already seen"
    assert apply(rule, _supply("c3", "Iran"), 120.0, state) is not None


def test_apply_leaves_the_mapping_alone_when_the_rule_does_not_match() -> None:
    state: dict[str, Any] = {}
    event = dict(_supply("c1", "Russia"), category="deployment")
    assert apply(RULES["ballistic-missile-to-new-recipient"], event, 0.0, state) is None
    assert state == {}
