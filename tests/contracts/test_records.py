import base64
from datetime import UTC, datetime

import orjson
import pytest

from streams.contracts.records import (
    Article,
    Reason,
    Rejected,
    article_id_for,
    dead_letter_record,
    decode_bytes,
    parse_article,
)

LIMIT = 1024


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"\xff\xfe\x00garbage", Reason.UNDECODABLE),
        (b'{"body": "unterminated', Reason.INVALID_JSON),
        (b"[1, 2, 3]", Reason.NOT_AN_OBJECT),
        (b'"just a string"', Reason.NOT_AN_OBJECT),
        (b'{"title": "no body"}', Reason.MISSING_BODY),
        (b'{"body": "   \\n "}', Reason.EMPTY_BODY),
        (b'{"body": 42}', Reason.INVALID_FIELD),
        (b'{"body": "text", "title": ["a"]}', Reason.INVALID_FIELD),
        (b'{"body": "text", "published_at": "yesterday"}', Reason.INVALID_FIELD),
        (b'{"body": "text", "published_at": "2024-12-24"}', Reason.INVALID_FIELD),
        (b'{"body": "' + b"x" * LIMIT + b'"}', Reason.TOO_LARGE),
        (None, Reason.MISSING_BODY),
    ],
)
def test_bad_payloads_are_rejected_with_their_reason(payload: bytes | None, reason: str) -> None:
    result = parse_article(payload, LIMIT)
    assert isinstance(result, Rejected)
    assert result.reason == reason
    assert result.error.endswith(".")


def test_valid_article_keeps_its_metadata() -> None:
    payload = orjson.dumps(
        {"id": "a1", "body": "Troops moved.", "published_at": "2024-12-24T00:00:00Z", "x": 1}
    )
    article = parse_article(payload, LIMIT)
    assert isinstance(article, Article)
    assert article.id == "a1"
    assert article.published_at == "2024-12-24T00:00:00Z"
    assert "x" not in article.meta


def test_id_is_derived_from_url_then_body_and_is_stable() -> None:
    by_url = parse_article(b'{"url": "https://n.example/1", "body": "A"}', LIMIT)
    same_url = parse_article(b'{"url": "https://n.example/1", "body": "B"}', LIMIT)
    by_body = parse_article(b'{"body": "A"}', LIMIT)
    assert isinstance(by_url, Article) and isinstance(same_url, Article) and isinstance(by_body, Article)
    assert by_url.id == same_url.id == article_id_for("https://n.example/1", "ignored")
    assert by_body.id == article_id_for(None, "A") != by_url.id


@pytest.mark.parametrize("payload", [b'{"body": 1}', b"\xff\x00\x01 not utf-8"])
def test_dead_letter_carries_the_payload_unchanged(payload: bytes) -> None:
    rejected = parse_article(payload, LIMIT)
    assert isinstance(rejected, Rejected)
    record = dead_letter_record(
        rejected, payload, topic="articles.raw", partition=2, offset=7, key=b"k", failed_at=datetime.now(UTC)
    )
    assert decode_bytes(record["payload"], record["payload_encoding"]) == payload
    assert record["reason"] == rejected.reason and record["partition"] == 2 and record["offset"] == 7
    if record["payload_encoding"] == "base64":
        assert base64.b64decode(record["payload"]) == payload
