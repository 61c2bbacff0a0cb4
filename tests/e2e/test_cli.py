"""The CLI against the real broker: ingest + tail round trip, kcat interop, and the demo."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from tests.e2e.conftest import WorkerProcess, consume_until

pytestmark = pytest.mark.kafka


def sitrep(worker: WorkerProcess, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, KAFKA_BOOTSTRAP_SERVERS=worker.bootstrap, SITREP_TOPIC_PREFIX=worker.names.prefix)
    return subprocess.run(
        [sys.executable, "-m", "streams.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_ingest_then_tail_round_trip(worker: WorkerProcess, tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    lines = [
        orjson.dumps({"id": f"cli-{i}", "body": f"Russia sent {i + 2} tanks to Belarus."}) for i in range(5)
    ]
    feed.write_bytes(b"\n".join(lines) + b"\n")
    page = tmp_path / "page.txt"
    page.write_text("Ukraine Says 40 Soldiers Killed\n\nForty soldiers were killed in shelling.\n")

    ingest = sitrep(worker, "ingest", str(feed), str(page))
    assert ingest.returncode == 0, ingest.stderr

    tail = sitrep(worker, "tail", "articles.enriched", "--from-beginning", "--limit", "6", "--timeout", "60")
    assert tail.returncode == 0, tail.stderr
    ids = [orjson.loads(line)["id"] for line in tail.stdout.splitlines()]
    assert {f"cli-{i}" for i in range(5)} <= set(ids)
    assert len(ids) == 6


@pytest.mark.skipif(shutil.which("kcat") is None, reason="kcat is not installed (apt-get install kcat)")
def test_kcat_produces_raw_and_consumes_enriched(worker: WorkerProcess) -> None:
    article = orjson.dumps({"id": "kcat-1", "body": "Iran delivered 200 drones to Russia, officials said."})
    produced = subprocess.run(
        ["kcat", "-b", worker.bootstrap, "-P", "-t", worker.names.raw, "-k", "kcat-1"],
        input=article + b"\n",
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert produced.returncode == 0, produced.stderr
    # Wait with our own client until the output exists, then check that kcat reads it too.
    asyncio.run(
        consume_until(
            worker.bootstrap, [worker.names.enriched], lambda rs: any(k == b"kcat-1" for _, k, _ in rs)
        )
    )
    consumed = subprocess.run(
        [
            "kcat",
            "-b",
            worker.bootstrap,
            "-C",
            "-t",
            worker.names.enriched,
            "-o",
            "beginning",
            "-K",
            "\t",
            "-e",
            "-q",
        ],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert consumed.returncode == 0, consumed.stderr
    found = [line for line in consumed.stdout.splitlines() if line.startswith(b"kcat-1\t")]
    assert len(found) == 1, consumed.stdout[-2000:]
    enriched = orjson.loads(found[0].split(b"\t", 1)[1])
    assert enriched["id"] == "kcat-1" and "supply" in enriched["categories"]


def run_demo(kafka: str, *paths: str) -> subprocess.CompletedProcess[str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("SITREP_TOPIC_PREFIX", "SITREP_APP_ID")
    }
    env["KAFKA_BOOTSTRAP_SERVERS"] = kafka  # the demo picks a namespace of its own per run
    return subprocess.run(
        [sys.executable, "-m", "streams.cli", "demo", *paths],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def categories_printed(stdout: str) -> set[str]:
    return {line[1 : line.index("/")] for line in stdout.splitlines() if line.startswith("[") and "/" in line}


def test_demo_prints_events_of_every_category_for_its_samples(kafka: str) -> None:
    demo = run_demo(kafka)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert categories_printed(demo.stdout) == {"deployment", "supply", "casualty", "forecast"}


def test_demo_on_the_seed_article(kafka: str, shared_data: Path) -> None:
    demo = run_demo(kafka, str(shared_data / "seed-article.txt"))
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert categories_printed(demo.stdout) == {"deployment", "supply", "casualty", "forecast"}
    assert "done: 1 article(s)" in demo.stdout
    assert "ALERT critical mass-casualties" in demo.stdout
