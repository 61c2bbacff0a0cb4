"""The classify agent under Faust's test context: no broker; outbound sends are recorded."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import orjson
import pytest

from streams.app import Sitrep, create_app
from streams.config import Settings
from streams.processing import Outcome


@dataclass
class RecordingTopic:
    """Stands in for an output topic: Faust's test context runs no producer."""

    sent: list[tuple[bytes | None, bytes]] = field(default_factory=list)

    async def send(self, *, key: bytes | None, value: bytes, callback: Any = None) -> None:
        self.sent.append((key, value))
        if callback is not None:
            callback(None)


@pytest.fixture
async def sitrep(tmp_path: Any) -> AsyncIterator[Sitrep]:
    sitrep = create_app(Settings(data_dir=tmp_path, batch_seconds=0.01))
    sitrep.app.conf.store = "memory://"
    sitrep.app.finalize()
    sitrep.app.flow_control.resume()
    sitrep.outputs = {name: RecordingTopic() for name in sitrep.outputs}
    yield sitrep


async def put(sitrep: Sitrep, context: Any, value: bytes, key: bytes | None = None) -> Outcome:
    event = await context.put(value, key=key)
    result: Outcome = context.results[event.message.offset]
    return result


async def test_agent_publishes_enriched_article_and_events(sitrep: Sitrep) -> None:
    article = {
        "id": "t-1",
        "body": "Russia has deployed 2,000 troops to the border with Finland, officials said.",
    }
    async with sitrep.agents["classify"].test_context() as context:
        outcome = await put(sitrep, context, orjson.dumps(article), b"t-1")
    assert outcome.rejected is None and outcome.article_id == "t-1"
    enriched = sitrep.outputs[sitrep.names.enriched].sent
    assert len(enriched) == 1 and enriched[0][0] == b"t-1"
    record = orjson.loads(enriched[0][1])
    assert record["id"] == "t-1" and "deployment" in record["categories"]
    deployments = sitrep.outputs[sitrep.names.events("deployment")].sent
    assert len(deployments) == sum(1 for e in record["events"] if e["category"] == "deployment") >= 1
    first = orjson.loads(deployments[0][1])
    assert deployments[0][0] == (first["actor"] or "t-1").encode()


async def test_agent_dead_letters_bad_input_and_keeps_going(sitrep: Sitrep) -> None:
    async with sitrep.agents["classify"].test_context() as context:
        bad = await put(sitrep, context, b"\xff not json", b"bad")
        good = await put(sitrep, context, orjson.dumps({"id": "ok", "body": "Nothing happened today."}))
    assert bad.rejected is not None and bad.rejected.reason == "undecodable"
    assert good.rejected is None
    (dead,) = sitrep.outputs[sitrep.names.deadletter].sent
    record = orjson.loads(dead[1])
    assert dead[0] == b"bad" and record["reason"] == "undecodable"
    assert len(sitrep.outputs[sitrep.names.enriched].sent) == 1
