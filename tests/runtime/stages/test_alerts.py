"""The alerts stage under Faust's test context: no broker; outbound sends are recorded."""

from __future__ import annotations

import orjson

from streams.contracts.headers import REPLAY_HEADER
from streams.runtime.context import Sitrep


async def test_alerts_agent_marks_an_alert_raised_by_a_replayed_event(sitrep: Sitrep) -> None:
    casualties = {
        "event_id": "e-1",
        "article_id": "a1",
        "claim_id": "c-1",
        "category": "casualty",
        "status": "reported",
        "actor": "Russia",
        "counterpart": None,
        "systems": [],
        "quantity": {"value": 300, "text": "300 soldiers"},
        "evidence": {"text": "300 soldiers were killed."},
        "corroboration": 1,
    }
    other = dict(casualties, event_id="e-2", claim_id="c-2", article_id="a2")
    async with sitrep.agents["alerts"].test_context() as context:
        await context.put(orjson.dumps(casualties), key=b"Russia", timestamp=1_700_000_000.0)
        await context.put(
            orjson.dumps(other), key=b"Russia", timestamp=1_700_000_000.0, headers=[REPLAY_HEADER]
        )
    alerts = sitrep.outputs[sitrep.names.alerts]
    assert [orjson.loads(v)["claims"] for _, v in alerts.sent] == [["c-1"], ["c-2"]]
    assert [headers for headers, _ in alerts.marks] == [None, [REPLAY_HEADER]]
