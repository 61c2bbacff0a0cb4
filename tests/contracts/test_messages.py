"""The claims bundle as a typed message: the same bytes on sitrep.claims as the dict it replaced,
and a message the claims stage cannot use refused with what is wrong, not a crash."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from streams.contracts.messages import ClaimedEvent, ClaimsBundle
from streams.contracts.topics import TopicNames
from streams.domain.enrichment import Source, process

EVENT = {"event_id": "e-1", "article_id": "a1", "category": "supply", "status": "reported", "actor": "Iran"}
CONTEXT = {"published_at": None, "text_hash": "abc", "outlet": "Reuters", "seen_at": 1_700_000_000.0}


def test_encoding_is_the_dict_format_byte_for_byte() -> None:
    bundle = ClaimsBundle([ClaimedEvent("c-1", EVENT)], None, "abc", "Reuters", 1_700_000_000.0)
    as_dict = {"claims": [{"claim": "c-1", "event": EVENT}], **CONTEXT}
    assert bundle.encode() == orjson.dumps(as_dict)
    assert ClaimsBundle.decode(bundle.encode(), b"a1") == bundle


def test_the_classify_stage_sends_bundles_that_decode() -> None:
    body = "Russia sent 200 tanks to Belarus on Monday. Iran delivered 40 drones to Russia, officials said."
    outcome = process(orjson.dumps({"id": "a", "body": body}), Source("articles.raw"), TopicNames(), 10**6,
                      claim_partitions=4)  # fmt: skip
    bundles = [ClaimsBundle.decode(o.value, o.key) for o in outcome.outputs if o.topic == "sitrep.claims"]
    assert bundles and all(b.claims and b.outlet == "unknown" for b in bundles)
    assert {c.event["article_id"] for b in bundles for c in b.claims} == {"a"}


def test_the_format_before_bundles_is_still_read() -> None:
    legacy = orjson.dumps({"event": EVENT, **CONTEXT})
    bundle = ClaimsBundle.decode(legacy, orjson.dumps("c-legacy"))
    assert bundle.claims == [ClaimedEvent("c-legacy", EVENT)] and bundle.seen_at == 1_700_000_000.0


@pytest.mark.parametrize(
    ("message", "problem"),
    [
        (b"\x00 not json", "unexpected character"),
        ([1, 2], "not a JSON object"),
        ({"claims": "c-1", **CONTEXT}, "claims is not a list"),
        ({"claims": [{"event": EVENT}], **CONTEXT}, "no claim id"),
        (
            {"claims": [{"claim": "c-1", "event": {"category": "supply"}}], **CONTEXT},
            "no event with an article",
        ),
        (
            {"claims": [{"claim": "c-1", "event": {**EVENT, "category": "weather"}}], **CONTEXT},
            "known category",
        ),
        ({"claims": [], **CONTEXT, "seen_at": "yesterday"}, "seen_at is not a number"),
        ({"claims": [], **CONTEXT, "seen_at": True}, "seen_at is not a number"),
        ({"claims": [], **CONTEXT, "outlet": None}, "outlet is not a string"),
    ],
)
def test_a_bundle_the_claims_stage_cannot_use_is_refused_saying_why(message: Any, problem: str) -> None:
    value = message if isinstance(message, bytes) else orjson.dumps(message)
    with pytest.raises(ValueError, match=problem):
        ClaimsBundle.decode(value, b"a1")
