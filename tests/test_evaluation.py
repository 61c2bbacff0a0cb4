"""evaluate() on the dev sets stays above the thresholds it reached (rounded down a little)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streams.classify import classify
from streams.cli.evaluate import main
from streams.evaluation import evaluate, format_report

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
# Floors that catch a broken classifier. The dev sets are training data (issue 13: report them, do not
# aim at them), so a category may sit below the rules' old 0.90 when the detector, chosen on the
# corpus's validation theatres, adds an event the dev labels lack; the seed article stays exact. Systems
# on dev-articles: 0.85, as the corpus lists "fighter squadrons" as fighter jets (5 labels of 5) where one
# dev article leaves them out.
THRESHOLDS = {
    "dev-articles.jsonl": {"macro": 0.95, "category": 0.85, "status": 0.92, "actor": 0.90, "systems": 0.85},
    "dev-sentences.jsonl": {"macro": 0.95, "category": 0.85, "status": 0.94, "actor": 0.95, "systems": 0.88},
    "seed-article.jsonl": {"macro": 0.99, "category": 0.99, "status": 0.99, "actor": 0.99, "systems": 0.95},
}


@pytest.mark.parametrize("name", sorted(THRESHOLDS))
def test_dev_set_quality(name: str) -> None:
    path = DATA / name
    if not path.exists():
        pytest.skip(f"{path} not found")
    report = evaluate(path)
    want = THRESHOLDS[name]
    assert report.macro_f1 >= want["macro"], format_report(report)
    assert min(s.f1 for s in report.categories.values()) >= want["category"], format_report(report)
    assert report.rate(report.status_ok) >= want["status"], format_report(report)
    assert report.rate(report.actor_ok) >= want["actor"], format_report(report)
    assert report.systems.f1 >= want["systems"], format_report(report)


def test_scoring_rules(tmp_path: Path) -> None:
    body = (
        "Two soldiers were killed in the shelling. The weather was fine. Russia sent 500 troops to Belarus."
    )
    events = [
        {
            "sentence": "Two soldiers were killed in the shelling.",
            "category": "casualty",
            "status": "reported",
        },
        {"sentence": "The weather was fine.", "category": "forecast", "status": "expected"},
    ]
    line = json.dumps({"id": "t1", "body": body, "events": events})
    path = tmp_path / "set.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    report = evaluate(path)
    assert (report.categories["casualty"].tp, report.categories["forecast"].fn) == (1, 1)
    assert report.categories["deployment"].fp == 1
    assert report.rate(report.status_ok) == 1.0
    assert "macro-F1" in format_report(report)
    assert main([str(path), "--json"]) == 0


def test_scope_is_scored_over_matched_events_with_a_scope_label(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Three casualty units: one incident, one cumulative, one without a scope label (not counted)."""
    sentences = [
        ("An air strike killed 120 soldiers near the base on Sunday, officials said.", "incident"),
        ("More than 40,000 people have been killed since the war began, the ministry said.", "cumulative"),
        ("Gunmen killed 12 villagers in an overnight raid, the army said.", None),
    ]
    lines = []
    for number, (text, scope) in enumerate(sentences):
        event = {"category": "casualty", "status": "reported"} | ({"scope": scope} if scope else {})
        lines.append(json.dumps({"id": f"s{number}", "text": text, "events": [event]}))
    path = tmp_path / "scoped.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = evaluate(path)
    assert report.matched == 3 and report.scope_labelled == 2
    assert report.scope_ok == 2 and report.scope_accuracy == 1.0
    assert (report.cumulative.tp, report.cumulative.fp, report.cumulative.fn) == (1, 0, 0)
    assert "over 2 with a scope label: scope 1.000  cumulative F1 1.000" in format_report(report)
    assert main([str(path), "--json"]) == 0
    scored = json.loads(capsys.readouterr().out)
    assert (scored["scope_labelled"], scored["scope_accuracy"], scored["cumulative_f1"]) == (2, 1.0, 1.0)


def test_a_wrong_scope_is_an_error_and_lowers_the_accuracy(tmp_path: Path) -> None:
    text = "More than 40,000 people have been killed since the war began, the ministry said."
    event = {"category": "casualty", "status": "reported", "scope": "incident"}  # labelled wrong on purpose
    path = tmp_path / "wrong.jsonl"
    path.write_text(json.dumps({"id": "w", "text": text, "events": [event]}) + "\n", encoding="utf-8")
    report = evaluate(path)
    assert report.scope_labelled == 1 and report.scope_accuracy == 0.0
    assert report.cumulative.fp == 1
    assert any(e.startswith("scope casualty: want 'incident' got 'cumulative'") for e in report.errors)


def test_a_systems_mismatch_is_an_error_naming_what_was_missed_and_added(tmp_path: Path) -> None:
    """`--errors` lists systems like the other fields: the labels missed and the extras."""
    text = "Germany delivered 18 Leopard 2 tanks to Ukraine in March."
    event = {"category": "supply", "status": "reported", "systems": ["gepard anti-aircraft gun"]}
    path = tmp_path / "systems.jsonl"
    path.write_text(json.dumps({"id": "g", "text": text, "events": [event]}) + "\n", encoding="utf-8")
    report = evaluate(path)
    (line,) = [e for e in report.errors if e.startswith("systems ")]
    got = classify(text)[0].systems
    assert line.startswith(f"systems supply: missed ['gepard anti-aircraft gun'] extra {sorted(got)}")
    assert report.systems.fn == 1 and report.systems.fp == len(got) > 0
