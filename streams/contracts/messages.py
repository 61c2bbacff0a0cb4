"""Typed messages between stages: the claims bundle that the classify stage sends the claims stage
on sitrep.claims, built and read here only, and checked where it crosses the topic.

Dataclasses, not msgspec Structs (bench/messages.py, same run, load 10 on 2 cores, so noisy): over
orjson a dataclass encodes a 6-event bundle in 12-26 us and decodes it with these checks in 36-52 us,
a Struct in 19-22 us and 25-30 us; either is under 2% of the 3-4 ms classify of the article. msgspec
would be one more runtime dependency for no measurable gain, and orjson serialises dataclasses itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from streams.classify import CATEGORIES


@dataclass(frozen=True, slots=True)
class ClaimedEvent:
    """One event of an article with the id of the claim it makes."""

    claim: str
    event: dict[str, Any]  # contracts/records.event_record


@dataclass(frozen=True, slots=True)
class ClaimsBundle:
    """An article's claims that hash to one claims partition, with the article context the claims
    stage needs: the text hash and outlet (repeats and corroboration) and when it was seen."""

    claims: list[ClaimedEvent]
    published_at: str | None
    text_hash: str
    outlet: str
    seen_at: float

    def encode(self) -> bytes:
        return orjson.dumps(self)

    @classmethod
    def decode(cls, value: bytes | None, key: bytes | None) -> ClaimsBundle:
        """The bundle of a sitrep.claims message; ValueError says what is wrong with it. Also reads
        the format before bundles (one event, keyed by its claim id), still met during an upgrade."""
        message = orjson.loads(value or b"")  # orjson.JSONDecodeError is a ValueError
        if not isinstance(message, dict):
            raise ValueError("the claims message is not a JSON object")
        if "claims" in message:
            items = message["claims"]
            if not isinstance(items, list):
                raise ValueError("claims is not a list")
            claims = [_claimed(item) for item in items]
        else:
            claims = [_claimed({"claim": orjson.loads(key or b""), "event": message.get("event")})]
        seen_at, text_hash, outlet = message.get("seen_at"), message.get("text_hash"), message.get("outlet")
        if isinstance(seen_at, bool) or not isinstance(seen_at, int | float):
            raise ValueError("seen_at is not a number")
        if not isinstance(text_hash, str) or not isinstance(outlet, str):
            raise ValueError("text_hash or outlet is not a string")
        published_at = message.get("published_at")
        return cls(
            claims, published_at if isinstance(published_at, str) else None, text_hash, outlet, seen_at
        )


def _claimed(item: object) -> ClaimedEvent:
    if not isinstance(item, dict) or not isinstance(item.get("claim"), str):
        raise ValueError("a claim has no claim id")
    event = item.get("event")
    if not isinstance(event, dict) or not isinstance(event.get("article_id"), str):
        raise ValueError(f"claim {item['claim']!r} has no event with an article id")
    if event.get("category") not in CATEGORIES or not isinstance(event.get("status"), str):
        raise ValueError(f"claim {item['claim']!r} has an event without a known category, or a status")
    return ClaimedEvent(item["claim"], event)
