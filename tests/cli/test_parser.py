"""`sitrep`'s argument parsing for Kafka users: what it takes, and what it refuses with exit 2."""

from __future__ import annotations

import pytest

from streams import __version__
from streams.classify import CATEGORIES, CLASSIFIER_VERSION
from streams.cli.main import build_parser, main


def refusal(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    return capsys.readouterr().err


def test_version_names_the_package_and_the_classifier(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"sitrep {__version__} (classifier {CLASSIFIER_VERSION})"


def test_a_mistyped_category_is_refused_with_the_list(capsys: pytest.CaptureFixture[str]) -> None:
    err = refusal(["tail", "events.supply", "--category", "suply"], capsys)
    assert "invalid choice: 'suply'" in err
    assert all(repr(category) in err for category in CATEGORIES)
    args = build_parser().parse_args(["tail", "x", "--category", "Supply", "--category", "casualty"])
    assert args.category == ["supply", "casualty"]


def test_show_refuses_unknown_fields(capsys: pytest.CaptureFixture[str]) -> None:
    assert "unknown field size" in refusal(["tail", "x", "--show", "key,size"], capsys)
    args = build_parser().parse_args(["tail", "x", "--show", "headers,key"])
    assert args.show == ("headers", "key")
    assert build_parser().parse_args(["tail", "x"]).show == ()


def test_limit_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    assert "at least 1" in refusal(["tail", "x", "--limit", "0"], capsys)
    assert "at least 1" in refusal(["tail", "x", "--limit", "three"], capsys)
    assert build_parser().parse_args(["tail", "x", "--limit", "3"]).limit == 3


def test_bench_hands_every_option_to_the_benchmark() -> None:
    argv = ["bench", "--articles", "50", "--json", "out.json", "--no-latency", "--help"]
    assert build_parser().parse_args(argv).rest == argv[1:]
    assert build_parser().parse_args(["bench"]).rest == []


def test_bench_help_is_the_benchmark_s_own(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["bench", "--articles", "50", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: sitrep bench") and "--articles ARTICLES" in out


def test_bench_refuses_an_unknown_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert "unrecognized arguments: --speed" in refusal(["bench", "--speed", "5"], capsys)


@pytest.mark.parametrize(
    ("argv", "action", "json_out"),
    [
        (["topics"], None, False),
        (["topics", "--json"], None, True),
        (["topics", "list", "--json"], "list", True),
        (["topics", "--json", "describe", "articles.raw"], "describe", True),
        (["topics", "describe", "articles.raw"], "describe", False),
        (["topics", "lag", "--group", "g", "articles.raw", "--json"], "lag", True),
    ],
)
def test_topics_actions_and_json_anywhere(argv: list[str], action: str | None, json_out: bool) -> None:
    args = build_parser().parse_args(argv)
    assert (args.topics_action, args.json) == (action, json_out)
