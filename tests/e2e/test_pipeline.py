"""Raw articles in, enriched articles, events and dead letters out, on the real broker."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import orjson
import pytest

from streams.classify import CATEGORIES
from streams.contracts.records import decode_bytes
from streams.domain.claims import claim_id
from tests.e2e.conftest import (
    MAX_ARTICLE_BYTES,
    MAX_REQUEST_BYTES,
    Record,
    WorkerProcess,
    consume_until,
    produce,
    start_worker,
    stop_worker,
)
from tests.e2e.test_http_ingest import metric

pytestmark = pytest.mark.kafka
FOREIGN = Path(__file__).resolve().parents[1] / "data" / "foreign-articles.jsonl"


def seed_article(shared_data: Path) -> dict[str, Any]:
    labelled = json.loads((shared_data / "seed-article.jsonl").read_text().splitlines()[0])
    body = (shared_data / "seed-article.txt").read_text(encoding="utf-8")
    return {
        "id": "seed-e2e",
        "title": labelled["title"],
        "published_at": labelled["published_at"],
        "body": body,
    }


def enriched_ids(records: list[Record]) -> set[str]:
    return {value["id"] for _, _, value in records if isinstance(value, dict) and "events" in value}


def test_seed_article_yields_events_of_every_category(
    worker: WorkerProcess, shared_data: Path, validators: dict[str, Any]
) -> None:
    names = worker.names
    article = seed_article(shared_data)
    asyncio.run(produce(worker.bootstrap, names.raw, [(b"seed-e2e", orjson.dumps(article))]))
    (enriched,) = [
        value
        for _, _, value in asyncio.run(
            consume_until(worker.bootstrap, [names.enriched], lambda rs: "seed-e2e" in enriched_ids(rs))
        )
        if value["id"] == "seed-e2e"
    ]
    validators["enriched-article"].validate(enriched)
    assert set(enriched["categories"]) == set(CATEGORIES)
    assert enriched["body"] == article["body"]
    for event in enriched["events"]:
        assert (
            article["body"][event["evidence"]["start"] : event["evidence"]["end"]]
            == event["evidence"]["text"]
        )

    expected = {e["event_id"]: e for e in enriched["events"]}
    # One claim is published once per article: two sentences of one article stating it count once.
    claims = {claim_id(e, article["published_at"]) for e in enriched["events"]}
    event_topics = [names.events(c) for c in CATEGORIES]
    published = asyncio.run(
        consume_until(worker.bootstrap, event_topics, lambda rs: claims <= {v["claim_id"] for _, _, v in rs})
    )
    assert len([v for _, _, v in published if v["article_id"] == "seed-e2e"]) == len(claims)
    for topic, key, value in published:
        if value["article_id"] != "seed-e2e":
            continue
        validators["published-event"].validate(value)
        assert topic == names.events(value["category"])
        assert key == (value["actor"] or "seed-e2e").encode()
        claim = {
            name: value.pop(name) for name in ("claim_id", "first_seen", "corroboration", "outlet", "outlets")
        }
        assert value == expected[value["event_id"]]
        assert claim["corroboration"] == 1 and claim["claim_id"].startswith("c-")
        assert (claim["outlet"], claim["outlets"]) == ("unknown", 1)  # no source, no url


BAD_INPUTS: list[tuple[bytes, str]] = [
    (b"\xc3\x28 invalid utf-8", "undecodable"),
    (b'{"body": "truncated', "invalid_json"),
    (b"[1, 2]", "not_an_object"),
    (b'{"title": "no body here"}', "missing_body"),
    (b'{"body": "  "}', "empty_body"),
    (b'{"body": "Troops moved.", "title": 7}', "invalid_field"),
    (orjson.dumps({"body": "x" * (MAX_ARTICLE_BYTES + 1)}), "too_large"),
]


def test_bad_input_goes_to_the_dead_letter_topic_and_good_input_still_flows(
    worker: WorkerProcess, validators: dict[str, Any]
) -> None:
    names = worker.names
    messages: list[tuple[bytes | None, bytes]] = []
    for index, (payload, _) in enumerate(BAD_INPUTS):
        messages.append((f"bad-{index}".encode(), payload))
        messages.append((None, orjson.dumps({"id": f"good-{index}", "body": "Two soldiers were killed."})))
    # Not bad input: an article in a language the classifier does not read, labelled English by its feed.
    (kursk,) = [a for a in map(json.loads, FOREIGN.read_text().splitlines()) if a["id"] == "de-kursk"]
    german = {"id": "kursk-de", "body": kursk["body"], "language": "en"}
    messages.append((b"kursk-de", orjson.dumps(german)))
    asyncio.run(produce(worker.bootstrap, names.raw, messages))

    good = {f"good-{i}" for i in range(len(BAD_INPUTS))} | {"kursk-de"}
    records = asyncio.run(
        consume_until(
            worker.bootstrap,
            [names.deadletter, names.enriched],
            lambda rs: (
                good <= enriched_ids(rs)
                and sum(1 for t, _, _ in rs if t == names.deadletter) >= len(BAD_INPUTS)
            ),
        )
    )
    dead = {key: value for topic, key, value in records if topic == names.deadletter}
    assert len(dead) == len(BAD_INPUTS)
    for index, (payload, reason) in enumerate(BAD_INPUTS):
        letter = dead[f"bad-{index}".encode()]
        assert letter["reason"] == reason, letter["error"]
        assert decode_bytes(letter["payload"], letter["payload_encoding"]) == payload
        assert letter["topic"] == names.raw and letter["offset"] is not None
    (skipped,) = [v for t, _, v in records if t == names.enriched and v["id"] == "kursk-de"]
    validators["enriched-article"].validate(skipped)
    assert (skipped["language"], skipped["skipped"], skipped["events"]) == ("de", "unsupported_language", [])
    labels = {"reason": "unsupported_language", "language": "de"}
    deadline = time.monotonic() + 30  # counted just after the enriched article is acknowledged
    while metric(worker, "sitrep_articles_skipped_total", labels) != 1 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert metric(worker, "sitrep_articles_skipped_total", labels) == 1
    assert worker.process.poll() is None, "the worker must keep running"


def post(url: str, body: bytes) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, orjson.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, orjson.loads(error.read())


def test_post_articles_over_http(worker: WorkerProcess) -> None:
    status, answer = post(
        worker.url + "/articles", orjson.dumps({"id": "http-1", "body": "Ten troops arrived."})
    )
    assert (status, answer["ids"]) == (202, ["http-1"])
    many = [
        {"id": "http-2", "body": "Tanks were delivered."},
        {"url": "https://n.example/3", "body": "Calm."},
    ]
    status, answer = post(worker.url + "/articles", orjson.dumps(many))
    assert status == 202 and answer["accepted"] == 2 and answer["ids"][0] == "http-2"
    derived = answer["ids"][1]

    status, answer = post(worker.url + "/articles", b'{"title": "no body"}')
    assert (status, answer["reason"]) == (400, "missing_body")
    status, answer = post(worker.url + "/articles", b"[")
    assert (status, answer["reason"]) == (400, "invalid_json")
    status, answer = post(worker.url + "/articles", orjson.dumps({"body": "x" * (MAX_REQUEST_BYTES + 1)}))
    assert (status, answer["reason"]) == (413, "too_large")

    wanted = {"http-1", "http-2", derived}
    records = asyncio.run(
        consume_until(worker.bootstrap, [worker.names.enriched], lambda rs: wanted <= enriched_ids(rs))
    )
    assert wanted <= enriched_ids(records)


def test_post_articles_is_rate_limited_per_client(kafka: str, tmp_path: Path) -> None:
    limited = start_worker(
        kafka, tmp_path, {"SITREP_HTTP_RATE_PER_CLIENT": "0.5", "SITREP_HTTP_BURST_PER_CLIENT": "2"}
    )
    try:
        body = orjson.dumps({"body": "Two soldiers were killed."})
        statuses = [post(limited.url + "/articles", body)[0] for _ in range(3)]
        assert statuses == [202, 202, 429]
        request = urllib.request.Request(limited.url + "/articles", data=body)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 429 and int(refused.value.headers["Retry-After"]) >= 1
    finally:
        stop_worker(limited)
