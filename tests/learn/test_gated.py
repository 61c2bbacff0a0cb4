"""The gated detector of the encoder's measurement: which candidates the gate takes, and that it decides
as the first model at band 0 and as the second everywhere at an infinite band."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from streams.classify import Event, classify
from streams.classify.detect.learned import DETECTOR
from streams.learn import gated


def test_the_gate_takes_the_margins_within_the_band_and_optionally_the_silent_sentences() -> None:
    margin = np.array([[-3.0, 0.2, -5.0, -4.0], [2.5, -2.0, -6.0, -1.2], [-0.9, -8.0, -8.0, -8.0]])
    fired = np.array([[False] * 4, [True, False, False, False], [False] * 4])
    assert gated.gate(margin, fired, 0.0).tolist() == [False, False, False]
    assert gated.gate(margin, fired, 0.5).tolist() == [True, False, False]
    assert gated.gate(margin, fired, 1.0).tolist() == [True, False, True]
    assert gated.gate(margin, fired, 1.5).tolist() == [True, True, True]
    assert gated.gate(margin, fired, 0.0, silent=True).tolist() == [True, False, True]
    assert gated.gate(margin, fired, float("inf")).all()


def _events(events: list[Event]) -> list[tuple[str, int, str]]:
    """What the gate decides: the category, evidence and status of each event (not the confidence)."""
    return [(e.category, e.evidence.start, e.status) for e in events]


def test_the_gated_detector_is_the_first_at_band_0_and_the_second_everywhere_at_band_inf(
    seed_text: str,
) -> None:
    """The margins over each model's own thresholds decide as that model does, whatever its thresholds."""
    first = DETECTOR
    assert first is not None
    second = replace(first, keep=(0.05, 0.05, 0.05, 0.05), veto=(0.9, 0.9, 0.9, 0.9))
    by_first = _events(classify(seed_text, detector=first))
    by_second = _events(classify(seed_text, detector=second))
    assert by_first != by_second  # the two models disagree on this article

    nowhere = gated.Gated.of(first, second, 0.0)
    assert _events(classify(seed_text, detector=nowhere)) == by_first
    assert nowhere.counts[0] > 0 and nowhere.counts[1] == 0

    everywhere = gated.Gated.of(first, second, float("inf"))
    assert _events(classify(seed_text, detector=everywhere)) == by_second
    assert everywhere.counts[1] == everywhere.counts[0] > 0

    some = gated.Gated.of(first, second, 2.0)
    classify(seed_text, detector=some)
    assert 0 < some.counts[1] < some.counts[0]
