"""Message contracts on the wire: parse raw articles, build enriched articles,
events and dead letters. JSON via orjson; the JSON Schemas in schemas/ are the truth.

Parsing never raises on bad input: it returns a `Rejected` with a reason code and a
one-sentence error, so the caller can dead-letter the payload unchanged.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import orjson

from streams.classify import CLASSIFIER_VERSION, Event
from streams.contracts.timestamps import utc_iso

OPTIONAL_TEXT_FIELDS = ("id", "url", "title", "published_at", "source", "language")


class Reason:
    """Dead-letter reason codes (the `reason` field); stable, documented in the README."""

    UNDECODABLE = "undecodable"
    INVALID_JSON = "invalid_json"
    NOT_AN_OBJECT = "not_an_object"
    MISSING_BODY = "missing_body"
    EMPTY_BODY = "empty_body"
    INVALID_FIELD = "invalid_field"
    TOO_LARGE = "too_large"
    CLASSIFIER_ERROR = "classifier_error"
    CLASSIFIER_TIMEOUT = "classifier_timeout"
    TOO_MANY_SENTENCES = "too_many_sentences"
    TOO_MANY_EVENTS = "too_many_events"


class StageReason:
    """Dead-letter reason codes of the stages after classify: a message between stages they cannot use."""

    MALFORMED_CLAIM = "malformed_claim"  # claims: a sitrep.claims message that does not parse
    MALFORMED_EVENT = "malformed_event"  # alerts: an events.* message that is not a JSON object
    RULE_ERROR = "rule_error"  # alerts: a rule failed on the event (the error names the rule)


# Every stage's dead-letter reasons: the `stage` and `reason` of a dead letter, and the labels of
# sitrep_stage_failures_total.
STAGE_REASONS: dict[str, tuple[str, ...]] = {
    "classify": tuple(v for k, v in vars(Reason).items() if k.isupper() and isinstance(v, str)),
    "claims": (StageReason.MALFORMED_CLAIM,),
    "alerts": (StageReason.MALFORMED_EVENT, StageReason.RULE_ERROR),
}


@dataclass(frozen=True, slots=True)
class Article:
    """A raw article that passed validation; `meta` holds its optional fields as given."""

    id: str
    body: str
    meta: dict[str, Any]

    @property
    def published_at(self) -> str | None:
        value = self.meta.get("published_at")
        return value if isinstance(value, str) else None


@dataclass(frozen=True, slots=True)
class Rejected:
    """Why a payload is not an article."""

    reason: str
    error: str


def article_id_for(url: str | None, body: str) -> str:
    """The id an article without one gets: stable across resends of the same url or body."""
    basis = f"url:{url}" if url else f"body:{body}"
    return "a-" + hashlib.sha256(basis.encode()).hexdigest()[:24]


def parse_article(payload: bytes | None, max_bytes: int) -> Article | Rejected:
    """Decode and validate one raw article payload."""
    if payload is None:
        return Rejected(Reason.MISSING_BODY, "The message has no value.")
    if len(payload) > max_bytes:
        return Rejected(
            Reason.TOO_LARGE, f"The article is {len(payload)} bytes, over the limit of {max_bytes}."
        )
    try:
        payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Rejected(Reason.UNDECODABLE, f"The payload is not valid UTF-8 (byte {exc.start}).")
    try:
        value = orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        return Rejected(Reason.INVALID_JSON, f"The payload is not valid JSON: {exc}.")
    return article_from_object(value)


def article_from_object(value: object) -> Article | Rejected:
    """Validate an already decoded JSON value as a raw article."""
    if not isinstance(value, dict):
        return Rejected(Reason.NOT_AN_OBJECT, f"The article must be a JSON object, not {_json_type(value)}.")
    body = value.get("body")
    if body is None:
        return Rejected(Reason.MISSING_BODY, "The article has no 'body' field.")
    if not isinstance(body, str):
        return Rejected(Reason.INVALID_FIELD, f"'body' must be a string, not {_json_type(body)}.")
    if not body.strip():
        return Rejected(Reason.EMPTY_BODY, "The article's 'body' is empty.")
    meta: dict[str, Any] = {}
    for name in OPTIONAL_TEXT_FIELDS:
        field_value = value.get(name)
        if field_value is None:
            continue
        if not isinstance(field_value, str):
            return Rejected(
                Reason.INVALID_FIELD, f"'{name}' must be a string, not {_json_type(field_value)}."
            )
        meta[name] = field_value
    if "published_at" in meta and not _is_rfc3339(meta["published_at"]):
        return Rejected(Reason.INVALID_FIELD, "'published_at' must be an RFC 3339 date-time.")
    if meta.get("id") == "":
        return Rejected(Reason.INVALID_FIELD, "'id' must not be empty.")
    article_id = meta.pop("id", None) or article_id_for(meta.get("url"), body)
    return Article(id=article_id, body=body, meta=meta)


def outlet_of(article: Article) -> str:
    """Who published the article: its `source`, else its url's host, else unknown."""
    source = article.meta.get("source")
    if source:
        return str(source)
    url = article.meta.get("url")
    if url:
        host = urlsplit(str(url)).hostname
        if host:
            return host.removeprefix("www.")
    return "unknown"


def event_id_for(article_id: str, event: Event) -> str:
    """Deterministic, so a redelivered article yields the same ids and consumers can dedupe."""
    basis = f"{article_id}|{event.category}|{event.evidence.start}"
    return "e-" + hashlib.sha256(basis.encode()).hexdigest()[:24]


def event_record(article_id: str, event: Event) -> dict[str, Any]:
    """An event as classified, before its claim: on articles.enriched, and inside sitrep.claims."""
    record = {"event_id": event_id_for(article_id, event), "article_id": article_id}
    record.update(event.to_dict())
    record["classifier_version"] = CLASSIFIER_VERSION
    return record


def published_event(
    record: dict[str, Any],
    claim: str,
    first_seen: float,
    corroboration: int,
    *,
    outlet: str | None = None,
    outlets: int | None = None,
) -> dict[str, Any]:
    """The message published on events.<category>: the event record with its claim, when the claim
    was first seen and by how many texts, the article's outlet and how many outlets carry the claim
    (the claims stage knows those, from its table): the alert rules count independent sources."""
    out = {**record, "claim_id": claim, "first_seen": utc_iso(first_seen), "corroboration": corroboration}
    if outlet is not None:
        out.update(outlet=outlet, outlets=outlets if outlets is not None else 1)
    return out


def enriched_record(
    article: Article,
    events: list[dict[str, Any]],
    received_at: datetime,
    processed_at: datetime,
    *,
    language: str,
    skipped: str | None,
) -> dict[str, Any]:
    """The message published on articles.enriched: metadata, body, and every event. `language` is the
    detected one, in place of the raw article's; `skipped` says why it has no events, if not classified."""
    record: dict[str, Any] = {"id": article.id}
    record.update(article.meta)
    record["language"] = language
    record["skipped"] = skipped
    record["body"] = article.body
    record["received_at"] = utc_iso(received_at)
    record["processed_at"] = utc_iso(processed_at)
    record["classifier_version"] = CLASSIFIER_VERSION
    record["categories"] = sorted({e["category"] for e in events})
    record["events"] = events
    return record


def dead_letter_record(
    rejected: Rejected,
    payload: bytes | None,
    *,
    topic: str,
    partition: int | None,
    offset: int | None,
    key: bytes | None,
    failed_at: datetime,
    stage: str = "classify",
) -> dict[str, Any]:
    """The message published on articles.deadletter: which stage, why, where from, the bytes as they came."""
    payload_text, payload_encoding = encode_bytes(payload)
    key_text, key_encoding = encode_bytes(key)
    return {
        "stage": stage,
        "reason": rejected.reason,
        "error": rejected.error,
        "topic": topic,
        "partition": partition,
        "offset": offset,
        "key": key_text,
        "key_encoding": key_encoding,
        "payload": payload_text,
        "payload_encoding": payload_encoding,
        "failed_at": utc_iso(failed_at),
    }


def encode_bytes(data: bytes | None) -> tuple[str | None, str | None]:
    """Bytes as JSON can carry them unchanged: the UTF-8 text, or base64 when it is not UTF-8."""
    if data is None:
        return None, None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return base64.b64encode(data).decode("ascii"), "base64"


def decode_bytes(text: str | None, encoding: str | None) -> bytes | None:
    """Inverse of encode_bytes: the original bytes of a dead letter's payload or key."""
    if text is None:
        return None
    return base64.b64decode(text) if encoding == "base64" else text.encode("utf-8")


def dumps(record: dict[str, Any]) -> bytes:
    return orjson.dumps(record)


def utc_now() -> datetime:
    return datetime.now(UTC)


def from_timestamp(seconds: float | None) -> datetime:
    """A Kafka record timestamp (seconds) as an aware datetime; now when absent."""
    return datetime.fromtimestamp(seconds, UTC) if seconds else utc_now()


def _is_rfc3339(text: str) -> bool:
    if "T" not in text.upper() or len(text) < 20:
        return False
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return False
    return parsed.tzinfo is not None


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", int: "a number"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")
