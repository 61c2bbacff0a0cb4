"""Adversarial input: every call returns promptly and evidence always indexes the body."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from streams.classify import classify

_WORDS = st.sampled_from(
    [
        "troops",
        "killed",
        "sent",
        "may",
        "could",
        "not",
        "U.S.",
        "Gen.",
        "deploy",
        "missiles",
        "the missiles",
        "Russian drones",
        "155mm",
        "$1.5 billion",
        "between 10 and",
        "village of",
        "said",
        "according to",
        "\u00a0",
        "\u201c",
        ".",
        "\n",
        "1,100",
    ]
)
# Runs of one character (digits, dashes, quotes, dots, spaces) are where a regex backtracks.
_RUNS = st.builds(lambda ch, n: ch * n, st.sampled_from(list("1-\"'., \u2014\u201c$(")), st.integers(1, 400))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_WORDS, _RUNS, st.text(max_size=12)), max_size=80).map(" ".join))
def test_evidence_indexes_the_body(body: str) -> None:
    t0 = time.perf_counter()
    events = classify(body, "2024-05-01")
    assert time.perf_counter() - t0 < 1.0
    for event in events:
        assert body[event.evidence.start : event.evidence.end] == event.evidence.text
        assert 0.0 <= event.confidence <= 1.0


def test_pathological_inputs_are_fast() -> None:
    mib = 1 << 20
    for body in (
        "a" * mib,
        "." * mib,
        "1" * mib,
        "-" * mib,
        '"' * mib,
        "\u201c" * mib,
        " " * mib,
        "troops sent " * (mib // 12),
        "Russia sent the missiles. " * (mib // 26),
        "1,1" * (mib // 3),
    ):
        t0 = time.perf_counter()
        classify(body)
        assert time.perf_counter() - t0 < 5.0, body[:20]
