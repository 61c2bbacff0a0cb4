from pathlib import Path

import pytest

from streams.domain.alerting import evaluate, unknown_party
from streams.domain.rules import Rule, RuleError, latest_time, load_rules, matches


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


DAY = 86400.0
AT_2024 = 1_727_740_800.0  # 2024-10-01T00:00:00Z


@pytest.mark.parametrize(
    ("when", "old"),
    [
        ({"text": "the late 1980s", "date": None}, True),  # history: 1989 at the latest
        ({"text": "in 2022", "date": None}, True),
        ({"text": "in 2024", "date": None}, False),
        ({"text": "in the 2020s", "date": None}, False),  # up to 2029
        ({"text": "on Tuesday", "date": "2024-09-24"}, False),
        ({"text": "March 3", "date": "2023-03-03"}, True),
        ({"text": "last week", "date": None}, False),  # names no time: kept
        (None, False),
    ],
)
def test_max_age_leaves_out_an_event_whose_time_is_older(
    rules: dict[str, Rule], when: dict[str, object] | None, old: bool
) -> None:
    """The new-recipient rule takes first deliveries told as tallies (scope any), not history."""
    rule = rules["ballistic-missile-to-new-recipient"]
    assert rule.max_age_seconds == 365 * DAY and "cumulative" in rule._lists["scope"]
    supply = event(category="supply", scope="cumulative", systems=["df-3 ballistic missile"], when=when)
    assert matches(rule, supply, AT_2024) is not old
    assert matches(rule, supply)  # without the alert's time the age is not checked
    _, _, alert = evaluate(rule, supply, AT_2024, None, [])
    assert (alert is None) is old
    # without its supplier the rule stays silent: a miss for the metric only when the event is not too old
    unnamed = dict(supply, actor=None)
    assert (unknown_party(rule, unnamed, AT_2024) is None) is old


def test_latest_time_reads_the_date_else_the_year_or_decade() -> None:
    decade, year = (
        latest_time({"when": {"text": "the late 1980s"}}),
        latest_time({"when": {"text": "in 1989"}}),
    )
    dated = latest_time({"when": {"text": "1990", "date": "1990-01-01"}})
    assert decade == year and year is not None and dated is not None and year < dated
    assert latest_time({"when": {"text": "yesterday", "date": None}}) is None


def test_a_max_age_that_is_not_a_duration_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("rules: [{id: x, severity: info, match: {category: supply, max_age: 'a year'}}]")
    with pytest.raises(RuleError, match="rule x: 'a year' is not a duration"):
        load_rules(path)
