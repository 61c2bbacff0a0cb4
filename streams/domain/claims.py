"""Claims across articles: one claim, counted once, with every article and outlet that carries it.

GDELT's best-known failure is counting reports as events; a claim fingerprint
(category, actor, counterpart, systems, quantity bucket, date, place) groups the same claim
told by many outlets in different words. The place keeps apart what one party does in two
places on one day: two moves to two fronts, two strikes on two cities. Pure functions over a
typed `ClaimState`, which crosses a Faust table's JSON changelog as a plain dict (`to_table` /
`from_table`).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Any

import orjson
from aiokafka.partitioner import murmur2

# What `observe` decided about one event, for the agent and the metrics.
NEW = "new"  # first report of this claim (in the retention window)
CORROBORATING = "corroborating"  # another article carries a known claim
REPEAT = "repeat"  # this article (or its exact text under another id) already carried it


def quantity_bucket(quantity: dict[str, Any] | None) -> str:
    """Half-decades on a log scale: 1,000 and 1,100 agree; 1,000 and 3,000 do not."""
    if not quantity:
        return "-"
    value = quantity.get("value")
    if not isinstance(value, int | float) or value <= 0:
        return "-"
    return f"{quantity.get('unit') or ''}:{round(math.log10(value) * 2) / 2}"


def claim_date(event: dict[str, Any], published_at: str | None) -> str:
    """The event's resolved date, else the day of publication: same-day reports of one claim agree."""
    when = event.get("when")
    if isinstance(when, dict) and when.get("date"):
        return str(when["date"])
    return published_at[:10] if published_at else "-"


def claim_id(event: dict[str, Any], published_at: str | None) -> str:
    """The claim fingerprint of an event record, as a short stable id."""
    parts = [
        event["category"],
        (event.get("actor") or "-").lower(),
        (event.get("counterpart") or "-").lower(),
        ",".join(sorted(s.lower() for s in event.get("systems") or ())),
        quantity_bucket(event.get("quantity")),
        claim_date(event, published_at),
        (event.get("location") or "-").lower(),
    ]
    return "c-" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]


def claim_key(claim: str) -> bytes:
    """The Kafka key of a claim: JSON, like the claims table's changelog keys, so the claims topic
    and the changelog hash a claim to the same partition (state stays with its stream)."""
    return orjson.dumps(claim)


def claim_partition(claim: str, partitions: int) -> int:
    """The partition of `claim` in the claims table's changelog: Kafka's default partitioner
    (murmur2 of the JSON key), which Faust's producer applies to the table's keys."""
    return (murmur2(claim_key(claim)) & 0x7FFFFFFF) % partitions


def body_hash(body: str) -> str:
    """Identity of an article's text, whitespace-insensitive, to spot one text under two ids."""
    return hashlib.sha256(" ".join(body.split()).encode()).hexdigest()[:24]


@dataclass(frozen=True, slots=True)
class ClaimState:
    """What the claims table keeps per claim: when it was seen, by which articles and outlets."""

    first_seen: float
    last_seen: float
    articles: dict[str, str]  # article id -> its text's hash, the newest `max_articles`
    outlets: tuple[str, ...]
    corroboration: int  # distinct texts that carried the claim (exact, though `articles` is bounded)

    def to_table(self) -> dict[str, Any]:
        """The table's value: a plain dict, as the changelog stores it."""
        return {
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "articles": self.articles,
            "outlets": list(self.outlets),
            "corroboration": self.corroboration,
        }

    @classmethod
    def from_table(cls, value: dict[str, Any] | None) -> ClaimState | None:
        """A table value back into the state (None for a claim never seen)."""
        if value is None:
            return None
        return cls(
            first_seen=float(value["first_seen"]),
            last_seen=float(value["last_seen"]),
            articles=dict(value["articles"]),
            outlets=tuple(value["outlets"]),
            corroboration=int(value["corroboration"]),
        )


def observe(
    state: ClaimState | None,
    *,
    article_id: str,
    text_hash: str,
    outlet: str,
    seen_at: float,
    retention_seconds: float,
    max_articles: int = 50,
) -> tuple[ClaimState, str]:
    """Fold one event into its claim's state; returns the new state and the verdict.

    A claim not seen for `retention_seconds` starts over. Corroboration counts distinct
    texts: a syndicated copy under another id is the same report, not a new source.
    """
    if state is None or seen_at - state.last_seen > retention_seconds:
        state = ClaimState(first_seen=seen_at, last_seen=seen_at, articles={}, outlets=(), corroboration=0)
    if article_id in state.articles or text_hash in state.articles.values():
        return state, REPEAT
    verdict = NEW if not state.articles and state.corroboration == 0 else CORROBORATING
    articles = dict(state.articles)
    articles[article_id] = text_hash
    if len(articles) > max_articles:  # keep the state bounded; the count stays exact
        del articles[next(iter(articles))]
    outlets = state.outlets if outlet in state.outlets else (*state.outlets, outlet)
    new_state = ClaimState(  # a replayed older article neither moves last_seen back nor follows first_seen
        first_seen=min(state.first_seen, seen_at),
        last_seen=max(state.last_seen, seen_at),
        articles=articles,
        outlets=outlets[-max_articles:],
        corroboration=state.corroboration + 1,
    )
    return new_state, verdict


def expire_old_claims(table: Any, retention_seconds: float) -> int:
    """Delete claims not seen for the retention window, measured in event time (the newest
    `last_seen` in the table), so replaying old news does not expire what it just built."""
    states = list(table.items())
    if not states:
        return 0
    newest = max(state["last_seen"] for _, state in states)
    stale = [key for key, state in states if newest - state["last_seen"] > retention_seconds]
    for key in stale:
        del table[key]
    return len(stale)
