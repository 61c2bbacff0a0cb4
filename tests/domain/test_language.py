"""Language detection: articles the classifier cannot read are enriched, skipped and never classified;
every English text we have, headlines and one-line sentences included, is classified."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

from streams.classify import SUPPORTED_LANGUAGES, classify
from streams.contracts.topics import TopicNames
from streams.domain.enrichment import Outcome, Source, process
from streams.domain.language import SkipReason, detect_language, detectable_languages, skip_reason

ROOT = Path(__file__).resolve().parents[2]
FOREIGN = [json.loads(line) for line in (ROOT / "tests" / "data" / "foreign-articles.jsonl").open()]
NAMES = TopicNames()
ENGLISH_LINES = [
    "Two soldiers were killed.",
    "Troops moved.",
    "Some 500,000 Rohingya remain in Rakhine.",
    "Pakistani air strikes kill 46 in Afghanistan's Paktika, Taliban say",
    "Armenia signs deal for French CAESAR howitzers; Baku protests",
    "Last Russian peacekeepers leave Karabakh, Azerbaijan says",
    "RUSSIA SENDS 300 TANKS TO BELARUS",
    "Iran delivered 40 Shahed drones to Russia.",
    "Kyiv says 12 killed in strike on Kharkiv",
    "1,200",
]


def enrich(article: dict[str, Any]) -> tuple[Outcome, dict[str, Any]]:
    outcome = process(orjson.dumps(article), Source("articles.raw"), NAMES, 10**6, claim_partitions=4)
    assert outcome.rejected is None
    return outcome, orjson.loads(outcome.outputs[-1].value)


@pytest.mark.parametrize("article", FOREIGN, ids=[a["id"] for a in FOREIGN])
def test_an_article_in_another_language_is_enriched_with_no_events_and_skipped(
    article: dict[str, Any], validators: dict[str, Any]
) -> None:
    outcome, enriched = enrich({"id": article["id"], "body": article["body"]})
    assert (enriched["language"], enriched["skipped"]) == (article["expected"], "unsupported_language")
    assert enriched["events"] == [] and enriched["categories"] == []
    assert [o.topic for o in outcome.outputs] == [NAMES.enriched], "no claims: nothing to count"
    assert (outcome.language, outcome.skipped) == (article["expected"], SkipReason.UNSUPPORTED_LANGUAGE)
    validators["enriched-article"].validate(enriched)


def test_the_german_kursk_paragraph_gives_no_event_whatever_language_the_feed_claims() -> None:
    (kursk,) = [a for a in FOREIGN if a["id"] == "de-kursk"]
    assert classify(kursk["body"]), "the English classifier finds casualties in it: the reason to skip"
    _, enriched = enrich({"id": "k", "body": kursk["body"], "language": "en"})
    assert enriched["events"] == []
    assert (enriched["language"], enriched["skipped"]) == ("de", "unsupported_language")


@pytest.mark.parametrize("body", ENGLISH_LINES)
def test_english_headlines_and_short_lines_are_classified(body: str, validators: dict[str, Any]) -> None:
    outcome, enriched = enrich({"id": "e", "body": body, "language": "de"})
    assert (enriched["language"], enriched["skipped"]) == ("en", None)
    assert outcome.skipped is None
    assert len(enriched["events"]) == len(classify(body))
    validators["enriched-article"].validate(enriched)


def test_a_headline_with_events_still_yields_them() -> None:
    _, enriched = enrich({"id": "h", "body": "Kyiv says 12 killed in strike on Kharkiv"})
    assert enriched["categories"] == ["casualty"]


def english_texts(shared_data: Path) -> list[tuple[str, str]]:
    """Every body, sentence text and title of the corpus and the shared labelled sets."""
    files = sorted((ROOT / "corpus").rglob("*.jsonl")) + sorted(shared_data.glob("*.jsonl"))
    texts = [("seed-article.txt", (shared_data / "seed-article.txt").read_text(encoding="utf-8"))]
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line) if line.strip() else {}
            texts += [(f"{path.name}:{record.get('id')}:{k}", record[k]) for k in ("body", "text", "title")
                      if isinstance(record.get(k), str) and record[k].strip()]  # fmt: skip
    return texts


def test_no_english_text_of_the_corpus_is_skipped(shared_data: Path) -> None:
    texts = english_texts(shared_data)
    assert len(texts) > 3000
    foreign = [(name, language) for name, text in texts if (language := detect_language(text)) != "en"]
    assert foreign == []


def test_the_languages_file_names_languages_the_model_knows_english_among_them() -> None:
    codes = detectable_languages()
    assert set(codes) >= SUPPORTED_LANGUAGES and len(codes) == len(set(codes)) > 10
    assert all(len(code) == 2 and code.islower() for code in codes)
    assert {detect_language(a["body"]) for a in FOREIGN} <= set(codes)
    assert skip_reason("en") is None and skip_reason("de") == SkipReason.UNSUPPORTED_LANGUAGE


def test_detection_needs_no_network() -> None:
    """The model ships in the wheel: with every socket refused, detection still answers."""
    script = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('no network here')\n"
        "socket.socket = socket.create_connection = socket.getaddrinfo = refuse\n"
        "from streams.domain.language import detect_language\n"
        "print(detect_language('Nordkoreanische Soldaten kämpfen an der Seite Russlands in Kursk'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], check=False, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "de"
