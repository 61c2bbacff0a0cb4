"""Fuzz the real worker with hostile raw payloads: each ends up enriched or dead-lettered with its
reason, the counts add up exactly, and the worker never restarts."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams.contracts.records import Article, parse_article
from tests.e2e.conftest import WorkerProcess, consume_until, produce

pytestmark = pytest.mark.kafka

MAX_ARTICLE_BYTES = 256 * 1024  # the module worker's limit (tests/e2e/conftest.py)

valid = st.fixed_dictionaries(
    {"body": st.text(min_size=1, max_size=300).filter(str.strip)},
    optional={"id": st.text(min_size=1, max_size=20), "title": st.text(max_size=50)},
)
HOSTILE_TEXTS = (
    lambda: "troops moved north " * 10_000,  # 10,000 sentences without punctuation
    lambda: "Russia sent 🚀 drones to 🇺🇦; مرحبا بالعالم قوات روسية انتشرت. שלום",  # emoji, right-to-left
    lambda: "two soldiers\x00were killed\x00",  # NUL characters
    lambda: "x" * (MAX_ARTICLE_BYTES + 10),  # over the limit
    lambda: "9" * 200_000,  # a long run of digits
)
hostile_text = st.integers(0, len(HOSTILE_TEXTS) - 1).map(lambda index: HOSTILE_TEXTS[index]())
json_scalars = st.one_of(st.integers(-(2**62), 2**62), st.lists(st.integers(0, 9)), st.none(), st.booleans())
payloads = st.one_of(
    st.binary(max_size=500),  # random bytes, mostly invalid UTF-8 or JSON
    valid.map(orjson.dumps),
    st.tuples(valid.map(orjson.dumps), st.integers(1, 40)).map(lambda pair: pair[0][: -pair[1]]),  # truncated
    st.integers(1, 3000).map(lambda depth: b"[" * depth + b"]" * depth),  # deep nesting
    st.integers(1, 3000).map(lambda depth: b'{"body":' + b"[" * depth + b"]" * depth + b"}"),
    json_scalars.map(orjson.dumps),
    st.fixed_dictionaries({"body": json_scalars}).map(orjson.dumps),
    st.fixed_dictionaries({"body": st.text(min_size=1), "published_at": st.text()}).map(orjson.dumps),
    hostile_text.map(lambda text: orjson.dumps({"body": text})),
    st.binary(min_size=1, max_size=50).map(lambda junk: b'{"body": "' + junk + b'"}'),  # invalid UTF-8 inside
)


def expected_outcome(payload: bytes) -> str:
    """What the contract says should happen to a payload: 'enriched' or the dead-letter reason."""
    parsed = parse_article(payload, MAX_ARTICLE_BYTES)
    return "enriched" if isinstance(parsed, Article) else parsed.reason


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(batch=st.lists(payloads, min_size=100, max_size=100))
def test_hostile_payloads_are_enriched_or_dead_lettered(worker: WorkerProcess, batch: list[bytes]) -> None:
    names = worker.names
    run = uuid.uuid4().hex[:8]
    keys = [f"fuzz-{run}-{index}".encode() for index in range(len(batch))]
    expected = Counter(expected_outcome(payload) for payload in batch)
    enriched_ids = {
        parse_article(p, MAX_ARTICLE_BYTES).id for p in batch if expected_outcome(p) == "enriched"
    }  # type: ignore[union-attr]
    pid = worker.process.pid
    asyncio.run(produce(worker.bootstrap, names.raw, list(zip(keys, batch, strict=True))))

    def done(records: list[tuple[str, bytes | None, Any]]) -> bool:
        dead = sum(1 for topic, key, _ in records if topic == names.deadletter and key in keys)
        ids = {v["id"] for topic, _, v in records if topic == names.enriched} & enriched_ids
        return dead >= len(batch) - expected["enriched"] and ids == enriched_ids

    records = asyncio.run(
        consume_until(worker.bootstrap, [names.enriched, names.deadletter], done, timeout=180)
    )
    reasons = Counter(v["reason"] for topic, key, v in records if topic == names.deadletter and key in keys)
    assert reasons + Counter(enriched=expected["enriched"]) == expected
    assert worker.process.poll() is None and worker.process.pid == pid, "the worker must not restart"
    assert "Crashed reason" not in Path(worker.log_path).read_text(errors="replace")
