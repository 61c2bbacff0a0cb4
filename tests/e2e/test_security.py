"""Security against real brokers: SASL/SCRAM-SHA-512 and TLS listeners, and the HTTP bearer token.

Each secured broker is a JVM of its own on a free port; the worker and the CLI reach it
only through the KAFKA_* security variables, as in production.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.error import HTTPError

import orjson
import pytest

from streams import broker
from streams.config import Settings
from streams.contracts.topics import TopicNames
from streams.kafka.clients import ensure_topics
from tests.e2e.certs import make_tls_files
from tests.e2e.conftest import WorkerProcess, start_worker, stop_worker

pytestmark = [
    pytest.mark.kafka,
    pytest.mark.skipif(shutil.which("java") is None, reason="Kafka 4.x needs Java 17+ on PATH"),
]

PASSWORD = f"pw-{uuid.uuid4().hex}"  # unique, so finding it in a log cannot be a coincidence
TOKEN = f"token-{uuid.uuid4().hex}"
ARTICLE = {"id": "sec-1", "body": "Russia sent 40 tanks to Belarus on Monday, officials said."}


@pytest.fixture(scope="module")
def sasl_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    port, data_dir = broker.free_port(), tmp_path_factory.mktemp("sasl-broker")
    bootstrap = broker.start(port=port, data_dir=data_dir, sasl_users={"alice": PASSWORD})
    try:
        yield {
            "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
            "KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
            "KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
            "KAFKA_SASL_USERNAME": "alice",
            "KAFKA_SASL_PASSWORD": PASSWORD,
        }
    finally:
        broker.stop(port=port, data_dir=data_dir)


@pytest.fixture(scope="module")
def tls_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    tls = make_tls_files(tmp_path_factory.mktemp("certs"))
    port, data_dir = broker.free_port(), tmp_path_factory.mktemp("tls-broker")
    bootstrap = broker.start(port=port, data_dir=data_dir, tls=tls)
    try:
        yield {
            "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
            "KAFKA_SECURITY_PROTOCOL": "SSL",
            "KAFKA_SSL_CAFILE": str(tls.ca_file),
        }
    finally:
        broker.stop(port=port, data_dir=data_dir)


def sitrep(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "streams.cli", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def secured_worker(env: dict[str, str], tmp: Path) -> WorkerProcess:
    """Topics made with the same credentials first: start_worker's own setup knows no security."""
    names = TopicNames(f"t{uuid.uuid4().hex[:8]}.")
    bootstrap = env["KAFKA_BOOTSTRAP_SERVERS"]
    asyncio.run(ensure_topics(bootstrap, names.all(), 4, Settings.from_env(env)))
    return start_worker(bootstrap, tmp, env, names=names)


def round_trip(env: dict[str, str], tmp: Path) -> WorkerProcess:
    """CLI ingest -> worker -> CLI tail of the enriched article, every hop over the secured listener."""
    worker = secured_worker(env, tmp)
    try:
        feed = tmp / "feed.jsonl"
        feed.write_bytes(orjson.dumps(ARTICLE) + b"\n")
        cli_env = {**env, "SITREP_TOPIC_PREFIX": worker.names.prefix}
        ingested = sitrep(cli_env, "ingest", str(feed))
        assert ingested.returncode == 0, ingested.stderr
        args = ["tail", "articles.enriched", "--from-beginning", "--limit", "1", "--timeout", "60"]
        tailed = sitrep(cli_env, *args)
        assert tailed.returncode == 0, tailed.stderr
        enriched = orjson.loads(tailed.stdout.splitlines()[0])
        assert enriched["id"] == "sec-1"
        assert enriched["events"], enriched  # classified, not just copied
    finally:
        assert stop_worker(worker) == 0
    return worker


def test_sasl_scram_round_trip_keeps_the_password_out_of_the_log(
    sasl_env: dict[str, str], tmp_path: Path
) -> None:
    worker = round_trip(sasl_env, tmp_path)
    log = worker.log()
    assert '"event": "start"' in log or "worker started" in log
    assert PASSWORD not in log


def test_a_wrong_sasl_password_stops_the_worker_and_the_cli_saying_why(
    sasl_env: dict[str, str], tmp_path: Path
) -> None:
    wrong = {**sasl_env, "KAFKA_SASL_PASSWORD": "not-the-password"}
    worker = start_worker(sasl_env["KAFKA_BOOTSTRAP_SERVERS"], tmp_path, wrong, TopicNames("wrong."), False)
    assert worker.process.wait(timeout=60) != 0
    assert "authentication failed" in worker.log()
    feed = tmp_path / "one.jsonl"
    feed.write_bytes(orjson.dumps(ARTICLE) + b"\n")
    ingested = sitrep(wrong, "ingest", str(feed))
    assert ingested.returncode != 0
    assert "authentication failed" in ingested.stderr
    assert "not-the-password" not in ingested.stderr
    replayed = sitrep(wrong, "replay", "--since", "2024-01-01")
    assert replayed.returncode != 0
    assert "authentication failed" in replayed.stderr, replayed.stderr[-2000:]
    assert "Traceback" not in replayed.stderr


def test_tls_round_trip(tls_env: dict[str, str], tmp_path: Path) -> None:
    round_trip(tls_env, tmp_path)


def test_a_client_without_the_ca_refuses_the_broker_certificate(tls_env: dict[str, str]) -> None:
    no_ca = {k: v for k, v in tls_env.items() if k != "KAFKA_SSL_CAFILE"}
    tailed = sitrep(no_ca, "tail", "articles.raw", "--timeout", "1")
    assert tailed.returncode != 0
    assert "TLS certificate verification failed" in tailed.stderr


def call(url: str, token: str | None = None, body: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET")
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_bearer_token_guards_ingest_stats_and_metrics_but_not_probes(kafka: str, tmp_path: Path) -> None:
    worker = start_worker(kafka, tmp_path, {"SITREP_API_TOKEN": TOKEN})
    try:
        body = orjson.dumps(ARTICLE)
        for path, payload, ok in (("/articles", body, 202), ("/metrics", None, 200), ("/stats", None, 200)):
            status, headers, answer = call(worker.url + path, body=payload)
            assert status == 401
            assert headers["WWW-Authenticate"].startswith("Bearer")
            assert orjson.loads(answer)["reason"] == "missing_token"
            status, headers, answer = call(worker.url + path, "wrong", payload)
            assert (status, orjson.loads(answer)["reason"]) == (401, "invalid_token")
            assert 'error="invalid_token"' in headers["WWW-Authenticate"]
            assert call(worker.url + path, TOKEN, payload)[0] == ok
        for probe in ("/healthz", "/readyz"):
            assert call(worker.url + probe)[0] == 200
        metrics = call(worker.url + "/metrics", TOKEN)[2].decode()
        assert 'sitrep_http_ingest_rejected_total{reason="unauthorized"} 2.0' in metrics
    finally:
        stop_worker(worker)
    assert TOKEN not in worker.log()
