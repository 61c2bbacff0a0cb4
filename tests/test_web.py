from pathlib import Path

import orjson

from streams.app import create_app
from streams.config import Settings
from streams.records import Article, Rejected
from streams.web import parse_request_body, readiness


def test_one_object_or_an_array_is_accepted() -> None:
    single = parse_request_body(b'{"id": "a", "body": "Troops moved."}', 1024)
    many = parse_request_body(orjson.dumps([{"body": "x"}, {"id": "b", "body": "y"}]), 1024)
    assert not isinstance(single, Rejected) and not isinstance(many, Rejected)
    assert [a.id for a, _ in single] == ["a"]
    assert isinstance(many[0][0], Article) and many[1][0].id == "b"
    assert orjson.loads(many[0][1]) == {"body": "x"}


def test_one_bad_article_refuses_the_whole_request_and_says_which() -> None:
    result = parse_request_body(orjson.dumps([{"body": "ok"}, {"body": ""}]), 1024)
    assert isinstance(result, Rejected)
    assert result.reason == "empty_body"
    assert result.error.startswith("Article 1:")


def test_bad_json_empty_array_and_oversized_article() -> None:
    assert isinstance(bad := parse_request_body(b"{", 1024), Rejected) and bad.reason == "invalid_json"
    assert isinstance(empty := parse_request_body(b"[]", 1024), Rejected) and empty.reason == "empty_request"
    big = parse_request_body(orjson.dumps({"body": "x" * 2000}), 1024)
    assert isinstance(big, Rejected) and big.reason == "too_large"


async def test_not_ready_before_partitions_are_assigned(tmp_path: Path) -> None:
    sitrep = create_app(Settings(data_dir=tmp_path))
    sitrep.app.finalize()
    problem, assigned = await readiness(sitrep)
    assert (problem, assigned) == ("no partitions assigned", 0)
