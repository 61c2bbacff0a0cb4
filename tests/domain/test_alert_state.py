"""The alert state is typed inside the domain and a plain dict in the table: it round-trips through
the changelog's JSON, today's values restore as they were written, older ones are still read, and a
value that is no alert state is refused where it is read."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from streams.domain.alert_state import AlertState, AlertStateError, WindowEntry, counterparts_from_table
from streams.domain.alerting import apply, evaluate
from streams.domain.rules import Rule, load_rules
from tests.domain.test_alerting import deployment, toll

RULES = {rule.id: rule for rule in load_rules()}


def through_changelog(value: dict[str, Any]) -> Any:
    """What a restoring worker reads: the table's value as the changelog's JSON carries it."""
    return orjson.loads(orjson.dumps(value))


def fold(rule: Rule, events: list[dict[str, Any]]) -> tuple[AlertState | None, list[dict[str, Any]]]:
    state: AlertState | None = None
    fired = []
    for index, told in enumerate(events):
        new_state, _, alert = evaluate(rule, told, 100.0 * index, state)
        state = new_state or state
        fired += [alert] if alert else []
    return state, fired


def test_a_fired_state_round_trips_through_the_changelog() -> None:
    state, (alert,) = fold(RULES["mass-casualties"], [toll(400, "a1", "c1")])
    assert state is not None and state.first_alert == alert["alert_id"]
    assert (state.last_fired, state.quantity) == (0.0, 400)
    assert AlertState.from_table(through_changelog(state.to_table())) == state


def test_a_window_that_has_not_fired_round_trips_and_stays_small() -> None:
    events = [deployment(f"c{i}", "a1", "Asia Wire") for i in range(3)]  # one outlet: no surge
    rule = RULES["deployment-surge"]
    state, fired = fold(rule, events)
    kept = range(3 - rule.window_at_least, 3)  # the newest claims the rule still needs, no more
    assert fired == [] and state is not None and len(state.window) == len(kept) < len(events)
    value = state.to_table()
    assert value == {"window": [[100.0 * i, f"c{i}", f"a1-c{i}", "a1", "Asia Wire"] for i in kept]}
    assert AlertState.from_table(through_changelog(value)) == state


@pytest.mark.parametrize(
    "written",
    [
        {  # a rule that fired: the shape the stage writes then
            "window": [[1700000000.5, "c1", "e1", "a1", "Wire"]],
            "last_fired": 1700000000.5,
            "first_alert": "mass-casualties-0123abcd",
            "quantity": 400,
        },
        {"window": [[1.0, None, "e1", "a1", "article:a1"], [2.0, "c2", "e2", "a2", "Yonhap"]]},  # counted
    ],
)
def test_todays_changelog_values_restore_and_are_written_back_the_same(written: dict[str, Any]) -> None:
    state = AlertState.from_table(through_changelog(written))
    assert state is not None and state.to_table() == written


def test_an_older_changelog_value_restores() -> None:
    """Before issue 16: window entries without an outlet, no first alert, no figure."""
    older = {"window": [[0.0, "c1", "e1", "a1"], [1.0, "c2", "e2", "a1"]], "last_fired": None}
    state = AlertState.from_table(through_changelog(older))
    as_articles = (
        WindowEntry(0.0, "c1", "e1", "a1", "article:a1"),
        WindowEntry(1.0, "c2", "e2", "a1", "article:a1"),
    )
    assert state == AlertState(window=as_articles)
    table: dict[str, Any] = {"deployment-surge|North Korea": older}  # as a restored table holds it
    alert = apply(RULES["deployment-surge"], deployment("c3", "a2", "Yonhap"), 2.0, table)
    assert alert is not None and alert["articles"] == ["a1", "a2"] and alert["outlets"] == ["Yonhap"]
    written = table["deployment-surge|North Korea"]  # written back in today's format
    assert written["first_alert"] == alert["alert_id"] and written["last_fired"] == 2.0
    assert [1.0, "c2", "e2", "a1", "article:a1"] in written["window"]  # the older entry, outlet added


def test_an_older_fired_state_still_suppresses() -> None:
    older = {"window": [], "last_fired": 0.0}  # mass-casualties fired before first_alert was kept
    state = AlertState.from_table(older)
    _, _, again = evaluate(RULES["mass-casualties"], toll(400, "a2", "c1"), 60.0, state)
    assert again is None
    _, _, update = evaluate(RULES["mass-casualties"], toll(400, "a3", "c1"), 86400.0 + 1, state)
    assert update is not None and update["update_of"] is None


@pytest.mark.parametrize(
    "value",
    [
        ["not", "a", "state"],
        {"window": "abc"},
        {"window": [[0.0, "c1", "e1"]]},  # too short
        {"window": [["yesterday", "c1", "e1", "a1", "Wire"]]},
        {"window": [[0.0, 7, "e1", "a1", "Wire"]]},
        {"window": [], "last_fired": "soon"},
        {"window": [], "first_alert": 12},
    ],
)
def test_a_value_that_is_no_alert_state_is_refused(value: Any) -> None:
    with pytest.raises(AlertStateError):
        AlertState.from_table(value)


def test_seen_counterparts_are_a_list_of_names() -> None:
    assert counterparts_from_table(None) == [] and counterparts_from_table(["Russia"]) == ["Russia"]
    with pytest.raises(AlertStateError):
        counterparts_from_table({"Russia": 1})
