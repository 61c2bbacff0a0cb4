"""The alert engine on the cases issue 16 measured: surges from one article, unknown parties,
victims named by role (claims of responsibility, both-sides tolls), and tolls revised upwards."""

from pathlib import Path
from typing import Any

import pytest

from streams.classify.pipeline import classify
from streams.contracts.records import event_record
from streams.domain.alert_state import AlertState
from streams.domain.alerting import apply, evaluate, roles_of, unknown_party
from streams.domain.rules import Rule, load_rules, party_roles
from tests.domain.test_rules import event


@pytest.fixture(scope="module")
def rules() -> dict[str, Rule]:
    return {rule.id: rule for rule in load_rules()}


def deployment(claim: str, article: str, outlet: str | None) -> dict[str, Any]:
    told = event(category="deployment", quantity=None, claim_id=claim, event_id=f"{article}-{claim}")
    told.update(article_id=article, actor="North Korea", counterpart="Russia")
    if outlet is not None:
        told["outlet"] = outlet
    return told


def run(rule: Rule, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The alerts a sequence raises, keeping the state the way the stage does (None: unchanged)."""
    state: AlertState | None = None
    fired = []
    for index, told in enumerate(events):
        new_state, _, alert = evaluate(rule, told, 100.0 * index, state)
        state = new_state if new_state is not None else state
        if alert is not None:
            fired.append(alert)
    return fired


def test_the_sentences_of_one_article_are_no_surge(rules: dict[str, Rule]) -> None:
    rule = rules["deployment-surge"]
    one_article = [deployment(c, "a1", "Asia Wire") for c in ("c1", "c2", "c3", "c4", "c5")]
    assert run(rule, one_article) == []


def test_two_articles_of_one_outlet_are_one_source(rules: dict[str, Rule]) -> None:
    rule = rules["deployment-surge"]
    same_outlet = [
        deployment("c1", "a1", "Asia Wire"),
        *(deployment(c, "a2", "Asia Wire") for c in ("c2", "c3")),
    ]
    assert run(rule, same_outlet) == []
    no_outlet = [deployment("c1", "a1", None), deployment("c2", "a1", None), deployment("c3", "a1", None)]
    assert run(rule, no_outlet) == []  # an event without an outlet counts its article as the outlet


def test_a_surge_across_two_outlets_fires_once(rules: dict[str, Rule]) -> None:
    rule = rules["deployment-surge"]
    told = [
        deployment("c1", "a1", "Asia Wire"),
        deployment("c2", "a1", "Asia Wire"),
        deployment("c3", "a1", "Asia Wire"),  # three claims, one source: silent
        deployment("c3", "a2", "Yonhap"),  # the second outlet: a surge
        deployment("c4", "a3", "NK News"),  # suppressed for 24 h
    ]
    (alert,) = run(rule, told)
    assert alert["outlets"] == ["Asia Wire", "Yonhap"] and alert["articles"] == ["a1", "a2"]
    assert alert["claims"] == ["c2", "c3"] and alert["update_of"] is None  # what the window needs
    assert "from 2 outlets" in alert["summary"]


def test_the_number_of_sources_is_the_rules(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(
        "rules: [{id: s, severity: info, match: {category: deployment}, group_by: actor_pair,"
        " window: {within: 1h, at_least: 2, sources: 3}, summary: '{count} from {sources}'}]"
    )
    (rule,) = load_rules(path)
    assert rule.sources_at_least == 3
    told = [deployment("c1", "a1", "A"), deployment("c2", "a2", "B"), deployment("c2", "a3", "C")]
    assert [a["summary"] for a in run(rule, told)] == ["2 from 3"]


def test_corroboration_counts_outlets_as_well_as_texts(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(
        "rules: [{id: f, severity: info, match: {category: forecast, corroboration_at_least: 2},"
        " summary: 'corroborated by {corroboration} articles'}]"
    )
    (rule,) = load_rules(path)
    forecast = event(category="forecast", quantity=None, evidence={"text": "a nuclear test is likely"})
    assert unknown_party(rule, dict(forecast, corroboration=2, outlets=2)) is None
    _, _, alert = evaluate(rule, dict(forecast, corroboration=2, outlets=2), 0.0, None)
    assert alert is not None and "corroborated by 2 articles" in alert["summary"]
    _, _, one_outlet = evaluate(rule, dict(forecast, corroboration=2, outlets=1), 0.0, None)
    assert one_outlet is None  # two texts of one outlet are one source


def forecast(claim: str, article: str, outlet: str, text: str) -> dict[str, Any]:
    told = event(category="forecast", quantity=None, claim_id=claim, event_id=f"{article}-{claim}")
    told.update(article_id=article, outlet=outlet, actor="Russia", evidence={"text": text})
    return told


def test_a_forecast_told_in_other_words_by_two_outlets_is_corroborated(rules: dict[str, Rule]) -> None:
    """Two outlets' "could resume nuclear testing" and "may carry out a nuclear weapons test" are
    two claims (their status and systems differ) about one prospect: the window over the actor
    counts them."""
    rule = rules["corroborated-nuclear-test-forecast"]
    first = forecast("c1", "a1", "Arctic Monitor", "Russia could resume nuclear testing within weeks")
    second = forecast("c2", "a2", "Euro Post", "Russia may carry out a nuclear weapons test")
    state, _, silent = evaluate(rule, first, 0.0, None)
    assert silent is None  # one outlet
    _, _, alert = evaluate(rule, second, 8 * 3600.0, state)
    assert alert is not None and alert["outlets"] == ["Arctic Monitor", "Euro Post"]
    assert "Russia" in alert["summary"] and "2 articles" in alert["summary"]
    same_outlet = forecast("c2", "a2", "Arctic Monitor", "Russia may carry out a nuclear weapons test")
    assert evaluate(rule, same_outlet, 8 * 3600.0, state)[2] is None  # one outlet's two stories
    assert evaluate(rule, second, 8 * 86400.0, state)[2] is None  # a week apart: not corroborated


@pytest.mark.parametrize(
    ("rule_id", "fields", "reason"),
    [
        ("mass-casualties", {"actor": None}, "unknown_victim"),
        ("deployment-surge", {"category": "deployment", "actor": None}, "unknown_actor"),
        ("ballistic-missile-to-new-recipient", {"category": "supply", "actor": None}, "unknown_supplier"),
    ],
)
def test_no_alert_about_an_unknown_party(
    rules: dict[str, Rule], rule_id: str, fields: dict[str, Any], reason: str
) -> None:
    rule = rules[rule_id]
    told = event(systems=["kn-23 ballistic missile"], outlet="A", **fields)
    assert unknown_party(rule, told) == reason
    assert reason.removeprefix("unknown_") in party_roles(rule)  # exported at 0
    assert evaluate(rule, told, 0.0, None, []) == (None, None, None)
    assert unknown_party(rule, event(category="supply", actor=None)) in (
        None,
        reason,
    )  # a miss only on a match


def test_a_rule_that_needs_no_party_fires_without_one(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(
        "rules: [{id: x, severity: info, match: {category: casualty}, summary: '{quantity_text} killed'}]"
    )
    (rule,) = load_rules(path)
    _, _, alert = evaluate(rule, event(actor=None, counterpart=None), 0.0, None)
    assert alert is not None and alert["summary"] == "150 killed"


def alert_on(rules: dict[str, Rule], sentence: str) -> dict[str, Any] | None:
    """The mass-casualties alert the real classifier's event for one sentence raises."""
    (found,) = [e for e in classify(sentence, "2024-05-06T10:00:00Z") if e.category == "casualty"]
    record = dict(event_record("a1", found), claim_id="c1", corroboration=1, outlet="Wire")
    return evaluate(rules["mass-casualties"], record, 0.0, None)[2]


def test_a_claim_of_responsibility_names_the_other_side_as_victim(rules: dict[str, Rule]) -> None:
    alert = alert_on(
        rules, "Boko Haram says it killed 200 Nigerian soldiers in an attack on a base in Borno on Monday."
    )
    assert alert is not None
    assert "suffered by Nigeria, inflicted by Boko Haram (its own claim)" in alert["summary"]
    assert "suffered by Boko Haram" not in alert["summary"]


def test_a_toll_reported_by_the_victim_names_the_attacker(rules: dict[str, Rule]) -> None:
    alert = alert_on(
        rules, "At least 400 people were killed in the Russian missile strike on Kharkiv on Monday."
    )
    assert alert is not None and "suffered by Ukraine, inflicted by Russia:" in alert["summary"]


def test_both_sides_tolls_take_their_roles_from_the_fields() -> None:
    """One event per sentence (taxonomy): the actor is the side whose toll it is, whoever tells it."""
    kyiv = roles_of(event(actor="Ukraine", counterpart="Russia", source="Russia"))
    assert kyiv["roles"] == "suffered by Ukraine, inflicted by Russia (its own claim)"
    moscow = roles_of(event(actor="Russia", counterpart="Ukraine", source="Russia"))
    assert moscow["roles"] == "suffered by Russia, inflicted by Ukraine"  # a side telling its own losses
    assert roles_of(event(counterpart=None))["roles"] == "suffered by Ukraine"
    supply = roles_of(event(category="supply", actor="Iran", counterpart="Russia"))
    assert (supply["supplier"], supply["recipient"], supply["roles"]) == (
        "Iran",
        "Russia",
        "supplied by Iran to Russia",
    )


def test_a_clash_with_no_named_victim_is_silent(rules: dict[str, Rule]) -> None:
    sentence = (
        "Clashes between the army and al-Shabaab militants killed 120 soldiers and 80 fighters on Tuesday."
    )
    (found,) = [e for e in classify(sentence, "2024-05-06T10:00:00Z") if e.category == "casualty"]
    # the scope is the learned model's call (tests/classify/detect/test_scope.py); this test is the rule's
    record = dict(event_record("a1", found), claim_id="c1", corroboration=1, scope="incident")
    assert record["actor"] is None and unknown_party(rules["mass-casualties"], record) == "unknown_victim"


def toll(value: int, article: str, claim: str) -> dict[str, Any]:
    return event(
        quantity={"value": value, "unit": "killed", "approx": False, "text": f"{value:,}"},
        article_id=article,
        event_id=f"e-{article}",
        claim_id=claim,
        when={"text": "on Monday", "date": "2024-05-06"},
    )


def test_a_rising_toll_updates_the_first_alert(rules: dict[str, Rule]) -> None:
    tolls = [
        toll(400, "a1", "c-400"),
        toll(420, "a2", "c-420"),  # the same half-decade: a repeat
        toll(1500, "a3", "c-1500"),  # revised upwards: one update
        toll(1500, "a4", "c-1500"),  # the revised figure told again
        toll(300, "a5", "c-300"),  # a lower figure
    ]
    first, update = run(rules["mass-casualties"], tolls)
    assert first["update_of"] is None and first["group"] == "casualty|Ukraine|2024-05-06"
    assert update["update_of"] == first["alert_id"] != update["alert_id"]
    assert update["group"] == first["group"] and update["articles"] == ["a3"]
    assert update["summary"].startswith("Toll revised from 400 to 1,500 (reported) suffered by Ukraine")


def test_a_report_that_leaves_the_attacker_out_is_the_same_incident(rules: dict[str, Rule]) -> None:
    """ "Russian missiles killed 400 in Kharkiv on Monday", then "the toll of Monday's strike on Kharkiv
    rose to 1,500": one incident; "Belarusian shelling killed 300 there on Monday": another."""
    rule, state = rules["mass-casualties"], {}
    first = apply(rule, toll(400, "a1", "c1"), 0.0, state)
    no_attacker = dict(toll(420, "a2", "c2"), counterpart=None)
    assert apply(rule, no_attacker, 10.0, state) is None  # a repeat, not a second alert
    update = apply(rule, dict(toll(1500, "a3", "c3"), counterpart=None), 20.0, state)
    assert first is not None and update is not None and update["update_of"] == first["alert_id"]
    other = apply(rule, dict(toll(300, "a4", "c4"), counterpart="Belarus"), 30.0, state)
    assert other is not None and other["update_of"] is None
    assert other["group"] == "casualty|Ukraine|2024-05-06|Belarus" != first["group"]


def test_suppression_is_per_rule_and_group(rules: dict[str, Rule]) -> None:
    rule = rules["mass-casualties"]
    state, _, first = evaluate(rule, toll(400, "a1", "c1"), 0.0, None)
    other_day = dict(toll(400, "a2", "c2"), when={"text": "on Tuesday", "date": "2024-05-07"})
    _, _, second = evaluate(rule, other_day, 10.0, None)  # another incident: its own group, its own state
    assert first is not None and second is not None and first["group"] != second["group"]
    _, _, repeat = evaluate(rule, toll(400, "a3", "c1"), 20.0, state)
    assert repeat is None


def test_the_window_state_stays_small_and_reads_the_older_format(rules: dict[str, Rule]) -> None:
    rule = rules["deployment-surge"]  # at_least 3, sources 2
    state: AlertState | None = None
    for index in range(50):  # one busy outlet: fifty claims, never a surge
        new_state, _, alert = evaluate(
            rule, deployment(f"c{index}", f"a{index % 2}", "Asia Wire"), index, state
        )
        assert alert is None
        state = new_state
    assert state is not None and len(state.window) <= 3 + 2 * 2
    older = {"window": [[0.0, "c1", "e1", "a1"], [1.0, "c2", "e2", "a1"]], "last_fired": None}  # no outlet
    _, _, alert = evaluate(rule, deployment("c3", "a2", "Yonhap"), 2.0, AlertState.from_table(older))
    assert alert is not None and alert["outlets"] == ["Yonhap"] and alert["articles"] == ["a1", "a2"]
