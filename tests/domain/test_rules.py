from pathlib import Path

import pytest

from streams.domain.alerting import evaluate
from streams.domain.rules import Rule, RuleError, load_rules, matches


def event(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "event_id": "e1",
        "article_id": "a1",
        "claim_id": "c1",
        "category": "casualty",
        "status": "reported",
        "actor": "Ukraine",
        "counterpart": "Russia",
        "systems": [],
        "quantity": {"value": 150, "unit": "killed", "approx": False, "text": "150"},
        "evidence": {"text": "150 soldiers were killed.", "start": 0, "end": 25},
        "corroboration": 1,
    }
    base.update(fields)
    return base


@pytest.fixture(scope="module")
def rules() -> dict[str, Rule]:
    return {rule.id: rule for rule in load_rules()}


def test_packaged_rules_load_with_their_fields(rules: dict[str, Rule]) -> None:
    assert {"mass-casualties", "deployment-surge", "ballistic-missile-to-new-recipient"} <= rules.keys()
    surge = rules["deployment-surge"]
    assert (surge.window_seconds, surge.window_at_least, surge.group_by) == (86400, 2, "actor")
    assert surge.sources_at_least == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules: [{id: x, severity: loud}]", "severity"),
        ("rules: [{id: x, severity: info, match: {colour: red}}]", "unknown match keys"),
        ("rules: [{id: x, severity: info, suppress_for: soon}]", "duration"),
        ("rules: [{id: x, severity: info}, {id: x, severity: info}]", "unique"),
        ("nothing: here", "'rules' list"),
    ],
)
def test_bad_rules_files_say_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(text)
    with pytest.raises(RuleError, match=message):
        load_rules(path)


def test_conditions(rules: dict[str, Rule]) -> None:
    rule = rules["mass-casualties"]
    assert matches(rule, event())
    assert not matches(rule, event(quantity={"value": 99, "unit": "killed"}))
    # "fewer than 100" is labelled 100 but reaches no threshold of 100; "up to 400" does
    assert not matches(rule, event(quantity={"value": 100, "unit": "killed", "high": 99}))
    assert matches(rule, event(quantity={"value": 400, "unit": "killed", "high": 400}))
    assert not matches(rule, event(category="supply"))
    assert not matches(rule, event(status="denied"))
    missiles = rules["ballistic-missile-to-new-recipient"]
    assert matches(missiles, event(category="supply", systems=["kn-23 ballistic missile"]))
    assert not matches(missiles, event(category="supply", systems=["attack drone"]))


def test_fires_once_per_suppression_window(rules: dict[str, Rule]) -> None:
    rule = rules["mass-casualties"]
    state, _, alert = evaluate(rule, event(), 1000.0, None)
    assert alert is not None and alert["rule"] == "mass-casualties" and alert["severity"] == "critical"
    assert "150" in alert["summary"] and "Ukraine" in alert["summary"]
    state, _, again = evaluate(rule, event(event_id="e2", article_id="a2"), 2000.0, state)
    assert again is None  # same claim, within 24 h
    _, _, later = evaluate(rule, event(event_id="e3", article_id="a3"), 1000.0 + 86400, state)
    assert later is not None


def test_window_counts_distinct_claims_per_actor(rules: dict[str, Rule]) -> None:
    rule = rules["deployment-surge"]
    deployment = event(category="deployment", quantity=None)
    state = None
    alerts = []
    for index, claim in enumerate(["c1", "c1", "c2", "c3", "c4"]):
        told = dict(
            deployment, claim_id=claim, event_id=f"e{index}", article_id=f"a{index}", outlet=f"o{index}"
        )
        state, _, alert = evaluate(rule, told, 100.0 * index, state)
        alerts.append(alert)
    assert [a is not None for a in alerts] == [False, False, True, False, False]  # c1 twice is one claim
    fired = alerts[2]
    assert fired is not None and fired["claims"] == ["c1", "c2"] and fired["group"] == "Ukraine"
    assert "2 distinct deployment claims" in fired["summary"] and "from 2 outlets" in fired["summary"]
    state = None
    for index, claim in enumerate(["c1", "c2", "c3"]):  # three outlets, a day apart each: no surge
        told = dict(
            deployment, claim_id=claim, event_id=f"s{index}", article_id=f"s{index}", outlet=f"o{index}"
        )
        state, _, alert = evaluate(rule, told, 90_000.0 * index, state)
        assert alert is None


def test_new_counterpart_only_the_first_time(rules: dict[str, Rule]) -> None:
    rule = rules["ballistic-missile-to-new-recipient"]
    supply = event(category="supply", actor="North Korea", systems=["kn-23 ballistic missile"], quantity=None)
    _, seen, alert = evaluate(rule, supply, 0.0, None, [])
    assert alert is not None and seen == ["Russia"]
    _, _, again = evaluate(rule, dict(supply, claim_id="c9"), 10.0, None, seen)
    assert again is None
    _, seen2, other = evaluate(rule, dict(supply, counterpart="Iran"), 20.0, None, seen)
    assert other is not None and seen2 == ["Russia", "Iran"]


def test_a_rule_without_a_scope_matches_incidents_only(rules: dict[str, Rule]) -> None:
    rule = rules["mass-casualties"]
    assert "scope" not in rule.match
    assert matches(rule, event(scope="incident"))
    assert not matches(rule, event(scope="cumulative"))  # "40,000 have died since the war began"
    assert matches(rule, event())  # an older classifier's event has no scope: alerted as before


def _rule_with(tmp_path: Path, scope: str) -> Rule:
    path = tmp_path / "rules.yaml"
    path.write_text(f"rules: [{{id: x, severity: info, match: {{category: casualty, scope: {scope}}}}}]")
    (rule,) = load_rules(path)
    return rule


@pytest.mark.parametrize(
    ("scope", "incident", "cumulative"),
    [
        ("cumulative", False, True),
        ("any", True, True),
        ("incident", True, False),
        ("[incident, cumulative]", True, True),
    ],
)
def test_scope_cumulative_or_any_opts_in(
    tmp_path: Path, scope: str, incident: bool, cumulative: bool
) -> None:
    rule = _rule_with(tmp_path, scope)
    assert matches(rule, event(scope="incident")) is incident
    assert matches(rule, event(scope="cumulative")) is cumulative


@pytest.mark.parametrize("scope", ["total", "[]", "[incident, history]"])
def test_an_unknown_scope_is_refused(tmp_path: Path, scope: str) -> None:
    with pytest.raises(RuleError, match="rule x: scope must be incident, cumulative or any"):
        _rule_with(tmp_path, scope)
