"""bench/profile.py: py-spy's raw stacks summarised into areas and top functions."""

from __future__ import annotations

from bench.profile import area, frame_name, samples, summarise

RAW = [
    "main (streams/cli/main.py:37);process (streams/domain/enrichment.py:100);"
    "classify (streams/classify/pipeline.py:317) 6\n",
    "main (streams/cli/main.py:37);process (streams/domain/enrichment.py:100);"
    "classify (streams/classify/pipeline.py:321) 2\n",
    "main (streams/cli/main.py:37);detect_language (streams/domain/language.py:60);"
    "classify (py3langid/langid.py:221) 1\n",
    "run_forever (asyncio/base_events.py:608);EpollSelector.select (selectors.py:468) 1\n",
]


def test_lines_of_one_function_add_up() -> None:
    merged = frame_name("classify (streams/classify/pipeline.py:317)")
    assert merged == "classify (streams/classify/pipeline.py)"
    stacks = samples(RAW)
    assert [n for _, n in stacks] == [6, 2, 1, 1]
    assert stacks[0][0][-1] == stacks[1][0][-1]


def test_a_sample_inside_the_classifier_counts_as_the_classifier_whoever_called_it() -> None:
    stacks = samples(RAW)
    assert area(stacks[0][0]) == "classifier (streams/classify)"
    assert area(stacks[2][0]) == "language detection (py3langid)"
    assert area(stacks[3][0]) == "idle: the loop waiting in epoll"
    assert area(["run_forever (asyncio/base_events.py)"]) == "event loop and sockets (asyncio, selectors)"
    assert area(["f (elsewhere.py)"]) == "other"


def test_the_table_gives_shares_of_all_samples() -> None:
    text = summarise(RAW, "a test")
    assert text.startswith("# a test: 10 samples")
    assert "  80.0%  classifier (streams/classify)" in text
    assert "  80.0%  classify (streams/classify/pipeline.py)" in text  # inclusive, lines merged
    assert "  10.0%  EpollSelector.select (selectors.py)" in text  # self time
