"""What `sitrep topics` computes and prints, from broker answers written out by hand."""

from __future__ import annotations

from streams.kafka.admin import (
    GroupLag,
    PartitionLag,
    PartitionState,
    TopicState,
    describe_text,
    full_name,
    lag_table,
    non_default_configs,
    table,
    topics_table,
)

RAW = TopicState(
    "p.articles.raw",
    [
        PartitionState(0, leader=1, replicas=[1, 2, 3], isr=[1, 2], start_offset=5, end_offset=12),
        PartitionState(1, leader=2, replicas=[2, 3, 1], isr=[2, 3, 1], start_offset=0, end_offset=3),
    ],
    {"retention.ms": {"value": "3600000", "source": "topic"}},
)


def test_a_topic_sums_its_partitions() -> None:
    assert RAW.replication_factor == 3
    assert RAW.messages == 7 + 3 and RAW.end_offset == 15
    assert RAW.as_dict()["partitions"][0] == {
        "partition": 0,
        "leader": 1,
        "replicas": [1, 2, 3],
        "isr": [1, 2],
        "start_offset": 5,
        "end_offset": 12,
        "messages": 7,
    }
    assert RAW.summary() == {
        "topic": "p.articles.raw",
        "partitions": 2,
        "replication_factor": 3,
        "messages": 10,
        "end_offset": 15,
    }


def test_lag_counts_from_the_commit_or_else_from_the_log_start() -> None:
    lag = GroupLag(
        "g",
        [
            PartitionLag("t", 0, committed=4, start_offset=0, end_offset=10),
            PartitionLag("t", 1, committed=None, start_offset=2, end_offset=9),  # never committed
            PartitionLag("t", 2, committed=1, start_offset=6, end_offset=8),  # commit older than retention
            PartitionLag("t", 3, committed=8, start_offset=0, end_offset=8),
        ],
    )
    assert [p.lag for p in lag.partitions] == [6, 7, 2, 0]
    assert lag.total == 15
    assert lag.as_dict()["total_lag"] == 15 and lag.as_dict()["partitions"][1]["committed"] is None


def test_only_configs_someone_set_are_shown() -> None:
    entry = {"read_only": False, "is_sensitive": False, "config_synonyms": []}
    response = {
        "resources": [
            {
                "config_entries": [
                    entry | {"config_names": "retention.ms", "config_value": "1", "config_source": 1},
                    entry | {"config_names": "segment.bytes", "config_value": "9", "config_source": 5},
                    entry | {"config_names": "min.insync.replicas", "config_value": "2", "config_source": 3},
                    entry
                    | {
                        "config_names": "secret",
                        "config_value": None,
                        "config_source": 1,
                        "is_sensitive": True,
                    },
                ]
            }
        ]
    }
    assert non_default_configs(response) == {
        "min.insync.replicas": {"value": "2", "source": "cluster default"},
        "retention.ms": {"value": "1", "source": "topic"},
        "secret": {"value": "(sensitive)", "source": "topic"},
    }


def test_tables_align_numbers_right_and_text_left() -> None:
    assert table(["name", "n"], [["a", 1], ["bbb", 100], ["cc", None]]).splitlines() == [
        "name    n",
        "a       1",
        "bbb   100",
        "cc      -",
    ]
    listing = topics_table([RAW]).splitlines()
    assert listing[0].split() == ["topic", "partitions", "replication", "end", "offsets", "messages"]
    assert listing[1].split() == ["p.articles.raw", "2", "3", "15", "10"]


def test_describe_and_lag_text() -> None:
    text = describe_text(RAW)
    assert text.startswith("p.articles.raw: 2 partition(s), replication factor 3, 10 message(s)")
    assert "        0       1  1,2,3     1,2        5   12         7" in text
    assert "retention.ms  3600000  topic" in text
    lag = GroupLag("g", [PartitionLag("t", 0, committed=None, start_offset=0, end_offset=4)])
    assert lag_table(lag).splitlines()[0] == "group g: total lag 4"
    assert lag_table(lag).splitlines()[-1].split() == ["t", "0", "-", "4", "4"]
    assert "committed no offsets" in lag_table(GroupLag("g", []))


def test_the_prefix_is_added_once() -> None:
    assert full_name("articles.raw", "p.") == "p.articles.raw"
    assert full_name("p.articles.raw", "p.") == "p.articles.raw"
    assert full_name("articles.raw", "") == "articles.raw"
