"""orjson is the only JSON path of the stream: the stages call it, and Faust's json codec, which
the tables' keys and values go through, is orjson's too (never the standard library's)."""

from __future__ import annotations

from pathlib import Path

import faust.utils.json
import orjson

from streams.config import Settings
from streams.runtime.app import create_app


def test_faust_json_codec_is_orjson() -> None:
    assert faust.utils.json.orjson is orjson  # else Faust falls back to the standard library's json


def test_every_table_serialises_its_keys_and_values_with_orjson(tmp_path: Path) -> None:
    sitrep = create_app(Settings(data_dir=tmp_path))
    state = {"first_seen": 1.5, "articles": {"a-1": "h"}, "outlets": ["o"], "corroboration": 1}
    for table in sitrep.app.tables.values():
        assert (table.key_serializer, table.value_serializer) == ("json", "json"), (
            table.name
        )  # send_changelog's
    assert faust.serializers.codecs.dumps("json", state) == orjson.dumps(state)
    assert faust.serializers.codecs.loads("json", orjson.dumps(state)) == state
