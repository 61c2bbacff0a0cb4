"""Claims across articles and alerts, on the real broker: the seed article and the related
articles of tests/data, one claim counted once, each alert raised once, a webhook told; a
cumulative toll (the seed's) raises no alert where an incident (the Kursk strike) does; a surge
told by one article raises nothing where one told by two outlets does; a toll with no named
victim is counted, not alerted; a claim of responsibility names the other side as the victim;
a revised toll updates its first alert."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import orjson
import pytest

from streams.broker import free_port
from streams.classify import CATEGORIES
from streams.domain.alerting import unknown_party
from streams.domain.rules import load_rules
from tests.e2e.conftest import WorkerProcess, consume_all, produce, wait_caught_up
from tests.e2e.test_http_ingest import metric
from tests.e2e.test_pipeline import seed_article

pytestmark = pytest.mark.kafka

DATA = Path(__file__).resolve().parent.parent / "data"
ROOT = DATA.parent.parent
EXPECTED_ALERTS = [
    "ballistic-missile-to-new-recipient",
    "corroborated-nuclear-test-forecast",
    "deployment-surge",  # North Korea's moves, told by two outlets (not Russia's, told by one)
    "mass-casualties",  # the Kursk strike
    "mass-casualties",  # Boko Haram's claim
    "mass-casualties",  # the Kharkiv strike's 400
    "mass-casualties",  # its update to 1,500
]


def article(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((DATA / name).read_text())
    return loaded


@pytest.fixture(scope="module")
def story(worker: WorkerProcess, shared_data: Path) -> dict[str, Any]:
    """Feed the articles one step at a time, each step processed before the next is sent."""
    names = worker.names
    pipeline = [names.raw, names.claims, *(names.events(c) for c in CATEGORIES)]
    seed = dict(seed_article(shared_data), id="seed-alerting", source="Korea Herald")
    steps = [
        [article("solo-belarus-surge.json")],  # four deployment claims in one article: no surge
        [seed],  # the seed article: its claims are new
        [article("wire-kn15.json")],  # another outlet: two of those claims again, in other words
        [article("portal-kn15-copy.json"), seed],  # the same text under another id; the seed again
        [article("wire-kn15-update.json")],  # the wire story rewritten with one new claim
        [article("wire-kursk-strike.json")],  # one strike's toll: an incident
        [article("clash-no-victim.json")],  # 120 soldiers killed, on no named side: counted, silent
        [article("claim-of-responsibility.json")],  # "Boko Haram says it killed 200 Nigerian soldiers"
        [article("kharkiv-strike.json")],  # at least 400 killed in a strike
        [article("kharkiv-strike-revised.json")],  # another outlet: the toll revised to 1,500
    ]
    for step in steps:
        asyncio.run(produce(worker.bootstrap, names.raw, [(a["id"].encode(), orjson.dumps(a)) for a in step]))
        wait_caught_up(worker, pipeline)
    events = asyncio.run(consume_all(worker.bootstrap, [names.events(c) for c in CATEGORIES]))
    alerts = asyncio.run(consume_all(worker.bootstrap, [names.alerts]))
    return {"events": [value for _, _, value in events], "alerts": [value for _, _, value in alerts]}


def by_article(story: dict[str, Any], article_id: str) -> list[dict[str, Any]]:
    return [e for e in story["events"] if e["article_id"] == article_id]


def test_a_claim_in_other_words_is_one_claim_with_two_sources(story: dict[str, Any]) -> None:
    seed_claims = {e["claim_id"]: e for e in by_article(story, "seed-alerting")}
    wire = by_article(story, "wire-kn15-0001")
    corroborating = [e for e in wire if e["claim_id"] in seed_claims]
    assert {e["category"] for e in corroborating} == {"supply", "forecast"}
    for event in corroborating:
        assert event["corroboration"] == 2
        assert event["first_seen"] == seed_claims[event["claim_id"]]["first_seen"]
    assert all(e["corroboration"] == 1 for e in seed_claims.values())


def test_duplicates_yield_nothing_and_a_rewrite_only_its_new_claim(story: dict[str, Any]) -> None:
    assert by_article(story, "portal-7731") == []  # the same text under another id
    seed_events = by_article(story, "seed-alerting")
    assert len({e["claim_id"] for e in seed_events}) == len(seed_events)  # the second ingest added none
    wire = by_article(story, "wire-kn15-0001")
    from_update = [e for e in wire if "3,000" in e["evidence"]["text"]]
    assert len(from_update) == 1 and from_update[0]["category"] == "deployment"
    assert len(wire) == len({e["claim_id"] for e in wire})


def test_each_rule_fires_once_per_group_with_its_evidence(
    story: dict[str, Any], validators: dict[str, Any]
) -> None:
    alerts = story["alerts"]
    assert sorted(a["rule"] for a in alerts) == sorted(EXPECTED_ALERTS)
    event_ids = {e["event_id"] for e in story["events"]}
    for alert in alerts:
        validators["alert"].validate(alert)
        assert set(alert["events"]) <= event_ids
    (surge,) = [a for a in alerts if a["rule"] == "deployment-surge"]
    assert surge["group"] == "North Korea" and len(surge["claims"]) == 2  # two claims, two outlets
    assert surge["outlets"] == ["Asia Wire", "Korea Herald"] and len(surge["articles"]) == 2
    nuclear = next(a for a in alerts if a["rule"] == "corroborated-nuclear-test-forecast")
    # the seed's forecast and the wire's, in other words: one prospect told by two outlets
    assert set(nuclear["articles"]) == {"seed-alerting", "wire-kn15-0001"}
    assert "2 articles" in nuclear["summary"]
    assert nuclear["outlets"] == ["Asia Wire", "Korea Herald"]


def test_a_cumulative_toll_raises_no_mass_casualties_alert_and_an_incident_does(
    story: dict[str, Any], validators: dict[str, Any]
) -> None:
    """The seed's 1,100 casualties so far are a running total; the strike's 200 are news."""
    tolls = [
        e
        for e in story["events"]
        if e["category"] == "casualty" and (e["quantity"] or {}).get("value", 0) >= 100
    ]
    for event in tolls:
        validators["published-event"].validate(event)
    scopes = {
        e["article_id"]: e["scope"]
        for e in tolls
        if e["article_id"] in ("seed-alerting", "wire-kursk-strike-0001")
    }
    assert scopes == {"seed-alerting": "cumulative", "wire-kursk-strike-0001": "incident"}
    (alert,) = [a for a in story["alerts"] if a["rule"] == "mass-casualties" and "Kursk" in a["summary"]]
    strike = next(e for e in tolls if e["article_id"] == "wire-kursk-strike-0001")
    assert alert["events"] == [strike["event_id"]] and alert["articles"] == ["wire-kursk-strike-0001"]
    assert "200" in alert["summary"]


def test_the_deployments_of_one_article_raise_no_surge(story: dict[str, Any]) -> None:
    """Four deployment claims about Russia and Belarus, all from one article of one outlet."""
    solo = by_article(story, "frontier-belarus-0001")
    deployments = {
        e["claim_id"] for e in solo if e["category"] == "deployment" and e["counterpart"] == "Belarus"
    }
    assert len(deployments) >= 3 and {e["outlet"] for e in solo} == {"Frontier Post"}
    assert [a for a in story["alerts"] if "frontier-belarus-0001" in a["articles"]] == []


def test_a_toll_without_a_named_victim_is_counted_not_alerted(
    worker: WorkerProcess, story: dict[str, Any]
) -> None:
    (clash,) = [e for e in by_article(story, "horn-shabelle-0001") if e["category"] == "casualty"]
    assert clash["actor"] is None and clash["quantity"]["value"] >= 100 and clash["scope"] == "incident"
    assert not [a for a in story["alerts"] if clash["event_id"] in a["events"]]
    expected: dict[tuple[str, str], int] = {}
    for rule in load_rules():
        for event in story["events"]:
            if reason := unknown_party(rule, event):
                expected[(rule.id, reason)] = expected.get((rule.id, reason), 0) + 1
    assert expected.get(("mass-casualties", "unknown_victim"), 0) >= 1
    for (rule_id, reason), count in expected.items():
        assert metric(worker, "sitrep_alerts_suppressed_total", {"rule": rule_id, "reason": reason}) == count
    assert metric(worker, "sitrep_alerts_suppressed_total", {}) == sum(expected.values())


def test_a_claim_of_responsibility_names_the_side_that_suffered(story: dict[str, Any]) -> None:
    (claim,) = [e for e in by_article(story, "sahel-borno-0001") if e["category"] == "casualty"]
    assert claim["outlet"] == "sahelwire.example"  # no `source`: the url's host
    (alert,) = [a for a in story["alerts"] if claim["event_id"] in a["events"]]
    assert "suffered by Nigeria, inflicted by Boko Haram (its own claim)" in alert["summary"]
    assert alert["outlets"] == ["sahelwire.example"]


def test_a_revised_toll_updates_the_first_alert(story: dict[str, Any], validators: dict[str, Any]) -> None:
    kharkiv = [
        a for a in story["alerts"] if set(a["articles"]) & {"kharkiv-strike-0001", "kharkiv-toll-0001"}
    ]
    first, update = kharkiv
    validators["alert"].validate(update)
    assert first["articles"] == ["kharkiv-strike-0001"] and first["update_of"] is None
    assert update["articles"] == ["kharkiv-toll-0001"] and update["update_of"] == first["alert_id"]
    assert update["group"] == first["group"] == "casualty|Ukraine|2024-05-06"
    assert update["summary"].startswith(
        "Toll revised from 400 to 1,500 (reported) suffered by Ukraine, inflicted by Russia"
    )


def test_stats_view_counts_events_by_category_and_actor(worker: WorkerProcess, story: dict[str, Any]) -> None:
    import urllib.request

    with urllib.request.urlopen(worker.url + "/stats", timeout=10) as response:
        stats = orjson.loads(response.read())
    expected: dict[str, dict[str, int]] = {}
    for event in story["events"]:
        per_actor = expected.setdefault(event["category"], {})
        actor = event["actor"] or "-"
        per_actor[actor] = per_actor.get(actor, 0) + 1
    assert stats["last_hour"] == expected
    assert stats["last_day"] == expected


class Recorder(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        Recorder.received.append(json.loads(self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()


def test_the_webhook_example_receives_every_alert(
    worker: WorkerProcess, story: dict[str, Any], webhook: str
) -> None:
    Recorder.received.clear()
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "examples" / "alerts_to_webhook.py"),
            "--url",
            webhook,
            "--bootstrap",
            worker.bootstrap,
            "--topic",
            worker.names.alerts,
            "--group",
            f"{worker.app_id}-webhook",
            "--from-beginning",
            "--limit",
            str(len(story["alerts"])),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(a["alert_id"] for a in Recorder.received) == sorted(a["alert_id"] for a in story["alerts"])
