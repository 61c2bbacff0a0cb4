"""POST /articles on a real worker: a 202 means the broker has the articles, even across a broker
outage (else 503 with Retry-After), and the web server listens only where SITREP_WEB_HOST says."""

from __future__ import annotations

import asyncio
import socket
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

import orjson
import pytest
from prometheus_client.parser import text_string_to_metric_families

from streams.contracts.topics import TopicNames
from streams.kafka.clients import ensure_topics
from tests.e2e.conftest import (
    LocalBroker,
    WorkerProcess,
    records_to_end,
    start_worker,
    stop_worker,
    wait_caught_up,
    wait_ready,
)

pytestmark = pytest.mark.kafka

ACK_TIMEOUT = 2  # seconds a POST waits for the broker (SITREP_HTTP_ACK_TIMEOUT_SECONDS)
OUTAGE_ARTICLES = 8
BATCH = 4


def post(url: str, articles: object) -> tuple[int, str | None, dict[str, object]]:
    """(status, Retry-After, body) of one POST /articles."""
    request = urllib.request.Request(url + "/articles", data=orjson.dumps(articles))
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Retry-After"), orjson.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Retry-After"), orjson.loads(error.read())


def post_until_accepted(url: str, article: dict[str, str], timeout: float) -> int:
    """What a feed does: send again after each 503, as long as Retry-After says; the tries it took."""
    deadline = time.monotonic() + timeout
    tries = 0
    while True:
        tries += 1
        status, retry_after, body = post(url, article)
        if status == 202:
            return tries
        assert status == 503 and retry_after is not None, (status, body)
        if time.monotonic() > deadline:
            pytest.fail(f"{article['id']} not accepted in {timeout} s: {body}")
        time.sleep(int(retry_after))  # the feed honours Retry-After


def metric(worker: WorkerProcess, name: str, labels: dict[str, str]) -> float:
    """The sum over the series that carry `labels` (others, such as `exception`, may differ)."""
    with urllib.request.urlopen(worker.url + "/metrics", timeout=10) as response:
        text = response.read().decode()
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items())
    )


@pytest.mark.timeout(600)
@pytest.mark.parametrize(
    "sends_fail",
    [True, False],
    ids=["refused-sends-fail-in-the-outage", "refused-sends-delivered-late"],
)
def test_a_202_survives_a_broker_outage_and_a_503_says_when_to_retry(
    tmp_path: Path, own_broker: LocalBroker, sends_fail: bool
) -> None:
    bootstrap = own_broker.bootstrap  # a broker of this test's own: the shared one is never stopped
    names = TopicNames(f"h{uuid.uuid4().hex[:8]}.")
    worker: WorkerProcess | None = None
    try:
        asyncio.run(ensure_topics(bootstrap, names.all(), 4))
        # Either the sends left in the producer fail during the outage (as the lost ones did, there
        # after 30 s), or the producer still holds them when the broker is back (30 s) and delivers.
        request_timeout = "5" if sends_fail else "30"
        env = {
            "SITREP_HTTP_ACK_TIMEOUT_SECONDS": str(ACK_TIMEOUT),
            "SITREP_PRODUCER_REQUEST_TIMEOUT": request_timeout,
        }
        worker = start_worker(bootstrap, tmp_path, env, names=names)  # ready: partitions assigned
        # One article first, so that the producer knows articles.raw and takes the outage's sends;
        # one without events, so that once it is committed no agent has a send left for the outage.
        assert post(worker.url, {"id": "before", "body": "The weather was calm."})[0] == 202
        wait_caught_up(worker, [names.raw, names.claims])
        own_broker.stop()
        answers: dict[str, tuple[int, str | None]] = {}
        started = time.monotonic()
        # One request of BATCH articles (all handed to the producer), then single ones.
        requests = [[f"outage-{i}" for i in range(BATCH)]]
        requests += [[f"outage-{i}"] for i in range(BATCH, OUTAGE_ARTICLES)]
        for ids in requests:
            status, retry_after, body = post(worker.url, [{"id": a, "body": f"{a}: drones."} for a in ids])
            assert status == 202 or (status == 503 and body["reason"] == "broker_unavailable"), body
            assert status == 202 or int(retry_after or 0) >= 1, "a 503 says when to retry"
            answers.update((a, (status, retry_after)) for a in ids)
        outage_posts = time.monotonic() - started
        refused = [article_id for article_id, (status, _) in answers.items() if status == 503]
        assert refused, "with the broker down, no article can have been acknowledged"
        refusals = sum(1 for ids in requests if answers[ids[0]][0] == 503)
        unavailable = {"reason": "broker_unavailable"}
        assert metric(worker, "sitrep_http_ingest_rejected_total", unavailable) == refusals
        deadline = time.monotonic() + 60
        while sends_fail and metric(worker, "sitrep_publish_failures_total", {"topic": names.raw}) < BATCH:
            assert time.monotonic() < deadline, "the outage's sends never failed"
            time.sleep(0.5)

        own_broker.start()
        tries = [post_until_accepted(worker.url, {"id": a, "body": "Retried."}, 180) for a in refused]
        accepted = [a for a, (status, _) in answers.items() if status == 202] + refused + ["before"]
        on_raw = Counter(r.key.decode() for r in asyncio.run(records_to_end(bootstrap, [names.raw])) if r.key)
        assert not [a for a in accepted if a not in on_raw], "an article answered 202 is not on articles.raw"
        assert worker.process.poll() is None, "the worker rides out the outage"
        if not sends_fail:  # the README's word: a retry after a late delivery is a duplicate, same id
            assert all(on_raw[a] == 2 for a in refused[:BATCH]), (
                f"late copies expected (broker back in 30 s): {on_raw}"
            )
        wait_ready(worker)
        print(
            f"\nHTTP ingest over a broker outage: {len(refused)} of {OUTAGE_ARTICLES} articles got 503 "
            f"(all within {outage_posts:.1f} s), then 202 after {max(tries)} tries at most; "
            f"on articles.raw {len(on_raw)} ids, {sum(on_raw.values()) - len(on_raw)} duplicates"
        )
    finally:
        if worker is not None:
            stop_worker(worker)
    assert "exception was never retrieved" not in worker.log()


def answers_on(address: str, port: int) -> bool:
    """Whether a TCP connection to address:port is accepted (loopback addresses only)."""
    assert address.startswith("127."), "this test never sends traffic off the machine"
    try:
        with socket.create_connection((address, port), timeout=5):
            return True
    except ConnectionRefusedError:
        return False


def test_the_web_port_is_bound_only_where_sitrep_web_host_says(kafka: str, tmp_path: Path) -> None:
    (tmp_path / "default").mkdir()
    (tmp_path / "all").mkdir()
    default = start_worker(kafka, tmp_path / "default", {"SITREP_WEB_HOST": ""})  # "" is the default
    try:
        assert answers_on("127.0.0.1", default.web_port)
        assert not answers_on("127.0.0.2", default.web_port), "127.0.0.1 is not 0.0.0.0"
    finally:
        stop_worker(default)
    everywhere = start_worker(kafka, tmp_path / "all", {"SITREP_WEB_HOST": "0.0.0.0"})
    try:
        assert answers_on("127.0.0.1", everywhere.web_port) and answers_on("127.0.0.2", everywhere.web_port)
    finally:
        stop_worker(everywhere)
