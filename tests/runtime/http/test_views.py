import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiohttp.test_utils import TestClient, TestServer

from streams import broker
from streams.config import Settings
from streams.contracts.records import Article, Rejected
from streams.runtime.app import create_app
from streams.runtime.context import Sitrep
from streams.runtime.http.views import parse_request_body, readiness


def test_one_object_or_an_array_is_accepted() -> None:
    single = parse_request_body(b'{"id": "a", "body": "Troops moved."}', 1024)
    many = parse_request_body(orjson.dumps([{"body": "x"}, {"id": "b", "body": "y"}]), 1024)
    assert not isinstance(single, Rejected) and not isinstance(many, Rejected)
    assert [a.id for a, _ in single] == ["a"]
    assert isinstance(many[0][0], Article) and many[1][0].id == "b"
    assert orjson.loads(many[0][1]) == {"body": "x"}


def test_one_bad_article_refuses_the_whole_request_and_says_which() -> None:
    result = parse_request_body(orjson.dumps([{"body": "ok"}, {"body": ""}]), 1024)
    assert isinstance(result, Rejected)
    assert result.reason == "empty_body"
    assert result.error.startswith("Article 1:")


def test_bad_json_empty_array_and_oversized_article() -> None:
    assert isinstance(bad := parse_request_body(b"{", 1024), Rejected) and bad.reason == "invalid_json"
    assert isinstance(empty := parse_request_body(b"[]", 1024), Rejected) and empty.reason == "empty_request"
    big = parse_request_body(orjson.dumps({"body": "x" * 2000}), 1024)
    assert isinstance(big, Rejected) and big.reason == "too_large"


async def test_not_ready_before_partitions_are_assigned(tmp_path: Path) -> None:
    sitrep = create_app(Settings(data_dir=tmp_path))
    sitrep.app.finalize()
    problem, assigned = await readiness(sitrep)
    assert (problem, assigned) == ("no partitions assigned", 0)


@asynccontextmanager
async def web_client(tmp_path: Path, **settings: Any) -> AsyncIterator[tuple[TestClient[Any, Any], Sitrep]]:
    """The worker's real web app, served by aiohttp's test server; its broker is a port nobody
    listens on, so every send fails as with the broker down."""
    bootstrap = f"127.0.0.1:{broker.free_port()}"
    sitrep = create_app(Settings(data_dir=tmp_path, bootstrap_servers=bootstrap, **settings))
    sitrep.app.finalize()
    async with TestClient(TestServer(sitrep.app.web.web_app)) as client:
        yield client, sitrep
    if sitrep.app.producer._producer is not None:  # the half-started aiokafka producer
        await sitrep.app.producer._producer.stop()


def rejected(sitrep: Sitrep, reason: str) -> float:
    value = sitrep.metrics.registry.get_sample_value("sitrep_http_ingest_rejected_total", {"reason": reason})
    return value or 0.0


async def test_without_the_broker_a_post_gets_503_with_retry_after(tmp_path: Path) -> None:
    async with web_client(tmp_path, http_ack_timeout_seconds=2.5) as (client, sitrep):
        first = await client.post("/articles", data=orjson.dumps([{"body": "a"}, {"body": "b"}]))
        assert first.status == 503 and first.headers["Retry-After"] == "3"
        assert (await first.json())["reason"] == "broker_unavailable"
        started = time.monotonic()
        second = await client.post("/articles", data=orjson.dumps({"body": "c"}))
        assert second.status == 503 and 1 <= int(second.headers["Retry-After"]) <= 3
        assert time.monotonic() - started < 0.5, "the known outage is answered at once"
        assert rejected(sitrep, "broker_unavailable") == 2
        assert sitrep.metrics.registry.get_sample_value("sitrep_articles_ingested_http_total") == 0


async def test_every_413_is_counted(tmp_path: Path) -> None:
    async with web_client(tmp_path, max_request_bytes=1000, max_article_bytes=100) as (client, sitrep):
        declared = await client.post("/articles", data=b"x" * 1001)

        async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: aiohttp stops the read
            for _ in range(20):
                yield b"x" * 100

        streamed = await client.post("/articles", data=chunks())
        article = await client.post("/articles", data=orjson.dumps({"body": "x" * 200}))
        assert [declared.status, streamed.status, article.status] == [413, 413, 413]
        assert rejected(sitrep, "too_large") == 3


async def test_the_rate_limit_keys_on_x_forwarded_for_only_from_a_trusted_proxy(tmp_path: Path) -> None:
    limits = {"http_rate_per_client": 0.001, "http_burst_per_client": 1}
    async with web_client(tmp_path / "a", trusted_proxies="127.0.0.1", **limits) as (client, _):
        statuses = [
            (await client.post("/articles", data=b"{}", headers={"X-Forwarded-For": hop})).status
            for hop in ("198.51.100.1", "198.51.100.1", "198.51.100.2")
        ]
        assert statuses == [400, 429, 400], "each forwarded client has its own bucket"
    async with web_client(tmp_path / "b", **limits) as (client, _):
        statuses = [
            (await client.post("/articles", data=b"{}", headers={"X-Forwarded-For": hop})).status
            for hop in ("198.51.100.1", "198.51.100.2")
        ]
        assert statuses == [400, 429], "from a peer that is not trusted, the header is ignored"


def test_the_worker_binds_where_sitrep_web_host_says_and_asks_acks_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WEB_BIND", "0.0.0.0")  # Faust's own variables lose to ours
    monkeypatch.setenv("PRODUCER_ACKS", "1")
    conf = create_app(Settings(data_dir=tmp_path)).app.conf
    assert (conf.web_bind, conf.producer_acks) == ("127.0.0.1", -1)
    conf = create_app(Settings(data_dir=tmp_path, web_host="0.0.0.0")).app.conf
    assert conf.web_bind == "0.0.0.0"
