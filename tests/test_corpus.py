"""The labelled corpus keeps its contract (corpus/README.md): every line well formed, ids and texts
unique, every labelled article sentence found once in its body, and the splits naming real theatres."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
TOOLS = ROOT / "tools" / "corpus"
EVENT_FIELDS = ["category", "status", "actor", "counterpart", "systems", "quantity", "location", "source"]
EVENT_FIELDS += ["negated", "scope"]
CATEGORIES = {"deployment", "supply", "casualty", "forecast"}
STATUSES = {"reported", "planned", "possible", "expected", "denied"}
SENTENCE_FIELDS = ["id", "text", "based_on", "theatre", "year", "events"]
ARTICLE_FIELDS = ["id", "title", "published_at", "based_on", "theatre", "year", "body", "events"]


def _lines(kind: str) -> list[tuple[Path, dict[str, Any]]]:
    return [
        (path, json.loads(line))
        for path in sorted((CORPUS / kind).glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


SENTENCES = _lines("sentences")
ARTICLES = _lines("articles")


def _check_event(item_id: str, event: dict[str, Any]) -> None:
    assert event["category"] in CATEGORIES and event["status"] in STATUSES, item_id
    assert event["scope"] in ("incident", "cumulative") and isinstance(event["negated"], bool), item_id
    assert all(isinstance(s, str) and s and s == s.lower() for s in event["systems"]), item_id
    quantity = event["quantity"]
    assert quantity is None or (
        list(quantity) == ["value", "unit", "approx"]
        and isinstance(quantity["value"], int | float)
        and isinstance(quantity["approx"], bool)
    ), item_id
    for name in ("actor", "counterpart", "location", "source"):
        assert event[name] is None or (isinstance(event[name], str) and event[name]), (item_id, name)


def _check_item(path: Path, item: dict[str, Any], prefix: str) -> None:
    theatre = path.stem
    assert item["theatre"] == theatre and re.fullmatch(rf"{prefix}-{re.escape(theatre)}-\d+", item["id"])
    assert isinstance(item["year"], int) and 2014 <= item["year"] <= 2026, item["id"]
    assert item["based_on"].startswith("http"), item["id"]


def test_every_sentence_line_keeps_the_format() -> None:
    assert len(SENTENCES) >= 3000
    for path, item in SENTENCES:
        assert list(item) == SENTENCE_FIELDS, item.get("id")
        _check_item(path, item, "C")
        categories = [event["category"] for event in item["events"]]
        assert len(categories) == len(set(categories)), (item["id"], "one event per category")
        for event in item["events"]:
            assert list(event) == EVENT_FIELDS, item["id"]
            _check_event(item["id"], event)


def test_every_article_sentence_stands_once_in_its_body() -> None:
    assert len(ARTICLES) >= 100
    for path, item in ARTICLES:
        assert list(item) == ARTICLE_FIELDS, item.get("id")
        _check_item(path, item, "CA")
        pairs = Counter((event["sentence"], event["category"]) for event in item["events"])
        assert max(pairs.values(), default=1) == 1, (item["id"], "one event per sentence and category")
        for event in item["events"]:
            assert list(event) == ["sentence", *EVENT_FIELDS], item["id"]
            assert item["body"].count(event["sentence"]) == 1, (item["id"], event["sentence"][:60])
            _check_event(item["id"], event)


@pytest.mark.parametrize(("kind", "items"), [("sentences", SENTENCES), ("articles", ARTICLES)])
def test_ids_and_texts_are_unique(kind: str, items: list[tuple[Path, dict[str, Any]]]) -> None:
    ids = Counter(item["id"] for _, item in items)
    texts = Counter(item.get("text") or item["body"] for _, item in items)
    assert [i for i, n in ids.items() if n > 1] == [], kind
    assert [t[:60] for t, n in texts.items() if n > 1] == [], kind


def test_the_splits_name_theatres_of_the_corpus_and_share_none() -> None:
    splits = json.loads((CORPUS / "splits.json").read_text(encoding="utf-8"))
    theatres = {item["theatre"] for _, item in SENTENCES + ARTICLES}
    test, validation = set(splits["test"]), set(splits["validation"])
    assert test <= theatres and validation <= theatres
    assert not test & validation
    assert len(theatres - test - validation) >= 20, "training keeps most theatres"


def test_the_datasheet_figures_are_the_corpus_counts() -> None:
    """The datasheet's figures are generated: a corpus change without a regenerated datasheet fails here."""
    done = subprocess.run(
        [sys.executable, str(TOOLS / "datasheet.py"), "--check"], check=False, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def _tool(name: str) -> ModuleType:
    """A script of tools/corpus/, loaded as a module (tools/ is no package)."""
    spec = importlib.util.spec_from_file_location(name, TOOLS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_systems_labels_keep_the_dev_sets_convention() -> None:
    """Every event's systems are what tools/corpus/harmonise_systems.py makes of them: American spelling,
    "155-mm", the gazetteer's name and type word, no lone "weapon" or "aircraft" (system_names.py)."""
    harmonise = _tool("harmonise_systems").harmonise
    off = [
        (item["id"], event["systems"])
        for _, item in SENTENCES + ARTICLES
        for event in item["events"]
        if harmonise(event["systems"]) != event["systems"]
    ]
    assert off == [], f"{len(off)} events off the convention, e.g. {off[:5]}"


def test_the_systems_convention_rewrites_british_labels() -> None:
    """The rules the check above relies on: spelling, calibre, type word, alias, lone umbrella word."""
    harmonise = _tool("harmonise_systems").harmonise
    assert harmonise(["patriot air defence system", "155 mm artillery shell"]) == [
        "patriot air defense system",
        "155-mm artillery shell",
    ]
    assert harmonise(["F-16 fighter", "armoured vehicle", "atacms missile"]) == [
        "f-16 fighter jet",
        "armored vehicle",
        "atacms ballistic missile",
    ]
    assert harmonise(["patriot missile", "s-400 radar"]) == ["patriot missile", "s-400 radar"]
    assert harmonise(["patriot battery", "truman aircraft carrier"]) == [
        "patriot air defense system",
        "uss harry s. truman aircraft carrier",
    ]
    sentence = "A drone struck a crowd at the market, killing nine."  # no owner: the dev sets list none
    assert harmonise(["drone"], "casualty", sentence) == [] and harmonise(["drone"], "supply", sentence) == [
        "drone"
    ]
    assert harmonise(["weapons"]) == [] and harmonise(["arms", "ammunition"]) == ["weapon", "ammunition"]


def test_a_variant_or_a_sibling_class_of_a_known_system_takes_its_name() -> None:
    """A designation before a known name, and a class of the same family, name the gazetteer's system;
    a part of it keeps its own name. A forecast beside a supply lists none, as in the dev sets."""
    canonical = _tool("harmonise_systems").canonical
    assert canonical("M1989 Koksan self-propelled howitzer") == "koksan self-propelled howitzer"
    assert canonical("Koksan self-propelled gun") == "koksan self-propelled howitzer"
    assert canonical("Stryker armoured personnel carrier") == "stryker armored vehicle"
    assert canonical("MIM-104E Patriot missile") == "patriot missile"
    assert canonical("patriot air defense radar") == "patriot air defense radar"
    assert canonical("m1991 multiple rocket launcher") == "m1991 multiple rocket launcher"

    harmonise = _tool("harmonise_systems").harmonise
    sentence = "Pyongyang could go on to sell Moscow new kinds of tactical guided missiles."  # a dev item
    assert harmonise(["tactical guided missile"], "forecast", sentence, with_supply=True) == []
    assert harmonise(["tactical guided missile"], "forecast", sentence) == ["tactical guided missile"]


def test_actors_and_counterparts_are_canonical_party_names() -> None:
    """A label that the gazetteer knows as a name of a party is that party's canonical name."""
    tool = _tool("harmonise_parties")
    names = tool.gazetteer_names(json.loads(tool.PARTIES.read_text(encoding="utf-8")))
    assert names["sudanese armed forces"] == "SAF" and names["wagner"] == "Wagner Group"
    wrong = [
        (item["id"], event[field], names[event[field].lower()])
        for _, item in SENTENCES + ARTICLES
        for event in item["events"]
        for field in ("actor", "counterpart")
        if event[field] and names.get(event[field].lower(), event[field]) != event[field]
    ]
    assert wrong == []


def test_the_harmonisation_script_has_nothing_left_to_change(capsys: pytest.CaptureFixture[str]) -> None:
    """Aliases, a state's own forces and the listed decisions are all applied (tools/corpus/)."""
    assert _tool("harmonise_parties").main(["--check"]) == 0
    assert "0 labels changed" in capsys.readouterr().err


def test_the_harmoniser_maps_aliases_state_forces_and_decisions() -> None:
    tool = _tool("harmonise_parties")
    h = tool.Harmoniser(
        json.loads(tool.PARTIES.read_text(encoding="utf-8")), {"sailors": ("seafarers", "point 11")}
    )
    assert h.canonical("Rapid Support Forces") == ("RSF", "gazetteer")
    assert h.canonical("wagner group") == ("Wagner Group", "gazetteer")
    assert h.canonical("Sudanese army") == ("SAF", "gazetteer")  # the gazetteer's group wins
    assert h.canonical("Indonesian Army") == ("Indonesia", "state forces")
    assert h.canonical("Pakistan's military") == ("Pakistan", "state forces")
    assert h.canonical("sailors") == ("seafarers", "decision: point 11")
    assert h.canonical("Serb gunmen") == ("Serb gunmen", "unmapped") and h.unmapped["Serb gunmen"] == 1
