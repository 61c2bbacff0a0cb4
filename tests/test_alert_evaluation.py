"""`sitrep eval --alerts`: sequences run through the classifier, claims and rules as in the worker,
scored on (rule, party) per part; the held-back part's errors are never printed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from streams.alert_evaluation import evaluate_alerts, run_sequence
from streams.cli.main import main
from streams.domain.rules import load_rules

INCIDENT = (
    "Militants killed at least 150 soldiers in an attack on an army base in northern Mali on Sunday, "
    "officials said."
)
TALLY = "More than 40,000 people have been killed in Mali since the war began in 2012, officials said."


def _article(n: int, body: str, outlet: str = "Wire A") -> dict[str, Any]:
    return {"id": f"a{n}", "outlet": outlet, "published_at": f"2025-06-0{n}T10:00:00Z", "body": body}


def _write(tmp_path: Path, sequences: list[dict[str, Any]], held_back: list[str]) -> Path:
    path = tmp_path / "sequences.jsonl"
    path.write_text("".join(json.dumps(s) + "\n" for s in sequences), encoding="utf-8")
    (tmp_path / "split.json").write_text(json.dumps({"held_back": held_back}), encoding="utf-8")
    return path


def test_an_incident_fires_once_and_the_same_text_again_is_a_repeat() -> None:
    fired = run_sequence([_article(1, INCIDENT), {**_article(2, INCIDENT), "id": "copy"}], load_rules())
    assert [(alert["rule"], party) for alert, party in fired] == [("mass-casualties", "Mali")]


def test_scores_count_hits_false_alerts_and_misses_per_part(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            {"id": "d-1", "theatre": "dev", "articles": [_article(1, INCIDENT)],
             "alerts": [{"rule": "mass-casualties", "party": "Mali"}]},
            {"id": "d-2", "theatre": "dev", "articles": [_article(2, INCIDENT)], "alerts": []},
            {"id": "h-1", "theatre": "held", "articles": [_article(3, TALLY)],
             "alerts": [{"rule": "mass-casualties", "party": "Mali"}]},
        ],
        held_back=["held"],
    )  # fmt: skip
    reports = evaluate_alerts(path, load_rules())
    dev, held = reports["development"].rules["mass-casualties"], reports["held_back"].rules["mass-casualties"]
    assert (dev.tp, dev.fp, dev.fn) == (1, 1, 0)
    assert (held.tp, held.fp, held.fn) == (0, 0, 1), "a running total raises no alert"
    assert reports["development"].overall.precision == 0.5


def test_the_command_prints_both_parts_and_only_the_development_errors(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = _write(
        tmp_path,
        [
            {"id": "d-1", "theatre": "dev", "articles": [_article(1, INCIDENT)], "alerts": []},
            {"id": "h-1", "theatre": "held", "articles": [_article(2, INCIDENT)], "alerts": []},
        ],
        held_back=["held"],
    )
    assert main(["eval", "--alerts", str(path), "--errors"]) == 0
    out = capsys.readouterr().out
    assert "development: 1 sequences" in out and "held_back: 1 sequences" in out
    assert "| d-1" in out and "h-1" not in out


def test_a_malformed_sequence_is_one_line_and_exit_2(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"id": "x", "theatre": "t", "articles": [{"id": "a"}], "alerts": []}\n', encoding="utf-8"
    )
    assert main(["eval", "--alerts", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.jsonl:1: not a labelled sequence" in err


def test_a_party_matches_under_any_alias_of_parties_json() -> None:
    from streams.alert_evaluation import party_key

    assert party_key("DRC") == party_key("Congo") == party_key("democratic republic of the congo ")
    assert party_key("civilians") == "civilians"
    assert party_key("Sudanese army") == party_key("SAF") != party_key("RSF")


def test_json_gives_per_rule_and_overall_scores_per_part(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = _write(
        tmp_path,
        [{"id": "h-1", "theatre": "held", "articles": [_article(1, INCIDENT)], "alerts": []}],
        held_back=["held"],
    )
    assert main(["eval", "--alerts", str(path), "--json", "--errors"]) == 0
    development, held_back = json.loads(capsys.readouterr().out)
    assert (development["part"], development["sequences"], held_back["sequences"]) == ("development", 0, 1)
    assert held_back["rules"]["mass-casualties"]["fp"] == 1 and held_back["overall"]["precision"] == 0.0
    assert "errors" not in held_back, "the held-back part's errors are never shown"
