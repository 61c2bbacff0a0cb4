from pathlib import Path

import orjson
import pytest

from streams.cli.inputs import input_files, key_for, read_inputs
from streams.contracts.records import article_id_for
from streams.errors import UsageError


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


def test_items_say_their_file_and_line_blank_lines_counted(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b'{"body": "a"}\n\n{"body": "b"}\n')
    array = tmp_path / "many.json"
    array.write_bytes(orjson.dumps([{"body": "c"}, {"body": "d"}]))
    assert [item.position for item in read_inputs([path, array])] == [
        f"{path}:1",
        f"{path}:3",
        f"{array}:1",
        f"{array}:2",
    ]


def test_a_directory_gives_its_input_files_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "b.jsonl").write_text('{"body": "b"}\n')
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.txt").write_text("Troops moved.")
    (tmp_path / "a.json").write_text('{"body": "a"}')
    (tmp_path / "notes.md").write_text("not an input")
    assert input_files([tmp_path]) == [tmp_path / "a.json", tmp_path / "b.jsonl", tmp_path / "sub" / "c.txt"]


def test_a_missing_path_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    present = tmp_path / "feed.jsonl"
    present.write_text('{"body": "a"}\n')
    with pytest.raises(UsageError, match=r"nope\.jsonl: no such file or directory"):
        read_inputs([present, tmp_path / "nope.jsonl"])  # not iterated: the check is eager


def test_a_directory_without_inputs_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("not an input")
    with pytest.raises(UsageError, match=r"no \.jsonl, \.ndjson, \.json, \.txt files"):
        input_files([tmp_path])
