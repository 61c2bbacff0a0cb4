"""The alerts stage under Faust's test context: no broker; outbound sends are recorded."""

from __future__ import annotations

import orjson

from streams.contracts.headers import REPLAY_HEADER
from streams.runtime.context import Sitrep
from tests.runtime.stages.conftest import stored

CASUALTIES = {
    "event_id": "e-1",
    "article_id": "a1",
    "claim_id": "c-1",
    "category": "casualty",
    "status": "reported",
    "actor": "Russia",
    "counterpart": None,
    "systems": [],
    "quantity": {"value": 300, "text": "300 soldiers"},
    "evidence": {"text": "300 soldiers were killed."},
    "corroboration": 1,
}


async def test_alerts_agent_marks_an_alert_raised_by_a_replayed_event(sitrep: Sitrep) -> None:
    other = dict(CASUALTIES, event_id="e-2", claim_id="c-2", article_id="a2", when={"date": "2024-05-07"})
    async with sitrep.agents["alerts"].test_context() as context:
        await context.put(orjson.dumps(CASUALTIES), key=b"Russia", timestamp=1_700_000_000.0)
        await context.put(
            orjson.dumps(other), key=b"Russia", timestamp=1_700_000_000.0, headers=[REPLAY_HEADER]
        )
    alerts = sitrep.outputs[sitrep.names.alerts]
    assert [orjson.loads(v)["claims"] for _, v in alerts.sent] == [["c-1"], ["c-2"]]
    assert [headers for headers, _ in alerts.marks] == [None, [REPLAY_HEADER]]


async def test_an_event_it_cannot_read_is_dead_lettered_and_counted(sitrep: Sitrep) -> None:
    good = orjson.dumps(CASUALTIES)
    async with sitrep.agents["alerts"].test_context() as context:
        await context.put(b"{not json", key=b"Russia", timestamp=1_700_000_000.0)
        await context.put(orjson.dumps(["a", "list"]), key=b"Russia", timestamp=1_700_000_000.0)
        await context.put(good, key=b"Russia", timestamp=1_700_000_000.0)  # the stage still runs
    dead = [orjson.loads(value) for _, value in sitrep.outputs[sitrep.names.deadletter].sent]
    assert [(d["stage"], d["reason"]) for d in dead] == [("alerts", "malformed_event")] * 2
    assert dead[0]["payload"] == "{not json" and dead[1]["payload"] == '["a","list"]'
    assert len(sitrep.outputs[sitrep.names.alerts].sent) == 1
    failures = sitrep.metrics.registry.get_sample_value
    assert failures("sitrep_stage_failures_total", {"stage": "alerts", "reason": "malformed_event"}) == 2


async def test_a_rule_that_fails_on_an_event_dead_letters_it_naming_the_rule(sitrep: Sitrep) -> None:
    without_id = {key: value for key, value in CASUALTIES.items() if key != "event_id"}
    async with sitrep.agents["alerts"].test_context() as context:
        await context.put(orjson.dumps(without_id), key=b"Russia", timestamp=1_700_000_000.0)
    (dead,) = [orjson.loads(value) for _, value in sitrep.outputs[sitrep.names.deadletter].sent]
    assert (dead["stage"], dead["reason"]) == ("alerts", "rule_error")
    assert "'mass-casualties'" in dead["error"] and "event_id" in dead["error"]
    assert sitrep.outputs[sitrep.names.alerts].sent == []
    failures = sitrep.metrics.registry.get_sample_value
    assert failures("sitrep_stage_failures_total", {"stage": "alerts", "reason": "rule_error"}) == 1


async def test_a_match_without_its_victim_raises_nothing_and_is_counted(sitrep: Sitrep) -> None:
    suppressed = sitrep.metrics.registry.get_sample_value
    labels = {"rule": "mass-casualties", "reason": "unknown_victim"}
    assert suppressed("sitrep_alerts_suppressed_total", labels) == 0  # exported before the first miss
    assert suppressed("sitrep_alerts_suppressed_total", {**labels, "rule": "deployment-surge"}) is None
    unnamed = dict(CASUALTIES, actor=None)
    async with sitrep.agents["alerts"].test_context() as context:
        await context.put(orjson.dumps(unnamed), key=b"-", timestamp=1_700_000_000.0)
        await context.put(orjson.dumps(CASUALTIES), key=b"Russia", timestamp=1_700_000_000.0)
    (alert,) = [orjson.loads(v) for _, v in sitrep.outputs[sitrep.names.alerts].sent]
    assert alert["events"] == ["e-1"] and "suffered by Russia" in alert["summary"]
    assert suppressed("sitrep_alerts_suppressed_total", labels) == 1
    assert suppressed("sitrep_alerts_suppressed_total", {**labels, "reason": "unknown_attacker"}) is None


SURGE = {
    "article_id": "a2",
    "category": "deployment",
    "status": "reported",
    "actor": "North Korea",
    "counterpart": "Russia",
    "systems": [],
    "quantity": None,
    "evidence": {"text": "More troops arrived."},
    "outlet": "Yonhap",
}


async def test_an_alert_state_restored_from_an_older_changelog_is_read(sitrep: Sitrep) -> None:
    """A worker upgraded over a changelog written before outlets were counted (window entries of four)."""
    table = sitrep.tables["alert_state"]
    older = {"window": [[1_699_999_000.0, "c1", "e1", "a1"], [1_699_999_500.0, "c2", "e2", "a1"]]}
    table.data["deployment-surge|North Korea"] = orjson.loads(orjson.dumps(older))  # as recovery fills it
    async with sitrep.agents["alerts"].test_context() as context:
        event = dict(SURGE, event_id="e3", claim_id="c3")
        await context.put(orjson.dumps(event), key=b"North Korea", timestamp=1_700_000_000.0)
        key = "deployment-surge|North Korea"
        written = await stored(table, key, lambda value: "first_alert" in value)  # today's format now
    (alert,) = [orjson.loads(v) for _, v in sitrep.outputs[sitrep.names.alerts].sent]
    assert alert["claims"] == ["c2", "c3"] and alert["articles"] == ["a1", "a2"]  # the two it needs
    assert written["first_alert"] == alert["alert_id"]
    assert [1_699_999_500.0, "c2", "e2", "a1", "article:a1"] in written["window"]


async def test_a_table_value_that_is_no_alert_state_is_dead_lettered(sitrep: Sitrep) -> None:
    sitrep.tables["alert_state"].data["deployment-surge|North Korea"] = {"window": "corrupt"}
    async with sitrep.agents["alerts"].test_context() as context:
        event = dict(SURGE, event_id="e3", claim_id="c3")
        await context.put(orjson.dumps(event), key=b"North Korea", timestamp=1_700_000_000.0)
    (dead,) = [orjson.loads(value) for _, value in sitrep.outputs[sitrep.names.deadletter].sent]
    assert (dead["stage"], dead["reason"]) == ("alerts", "rule_error")
    assert "'deployment-surge'" in dead["error"] and "AlertStateError" in dead["error"]
