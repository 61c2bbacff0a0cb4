from pathlib import Path

import orjson

from streams.inputs import key_for, read_inputs
from streams.records import article_id_for


def test_json_lines_pass_every_line_through_even_malformed(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b'{"id": "x1", "body": "Troops moved."}\n\nnot json\n{"body": "Two killed."}\n')
    items = list(read_inputs([path]))
    assert [item.payload for item in items] == [
        b'{"id": "x1", "body": "Troops moved."}',
        b"not json",
        b'{"body": "Two killed."}',
    ]
    assert items[0].key == b"x1"
    assert items[1].key is None
    assert items[2].key == article_id_for(None, "Two killed.").encode()


def test_json_array_and_object(tmp_path: Path) -> None:
    array = tmp_path / "many.json"
    array.write_bytes(orjson.dumps([{"id": "a", "body": "b"}, {"id": "c", "body": "d"}]))
    single = tmp_path / "one.json"
    single.write_bytes(orjson.dumps({"id": "e", "body": "f"}))
    keys = [item.key for item in read_inputs([array, single])]
    assert keys == [b"a", b"c", b"e"]


def test_text_file_becomes_an_article_whose_body_is_the_file(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    text = "Headline Without Period\n\nSoldiers\u00a0were sent.\n"
    path.write_text(text, encoding="utf-8")
    (item,) = read_inputs([path])
    article = orjson.loads(item.payload)
    assert article["body"] == text
    assert article["title"] == "Headline Without Period"
    assert item.key == key_for(item.payload)
