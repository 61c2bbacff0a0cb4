"""The detector's sentence embeddings: wordllama's own vectors, one batch per article, a clear error."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from streams.classify.detect import embedding

SENTENCES = [
    "Six more launchers arrived in Odesa.",
    "The seized shipment was bound for the militia.",
    "",
    "Die Truppen wurden nach Kursk verlegt.",
]


# The embeddings are measured in the ablation, not shipped (MODEL_CARD.md): wordllama is installed by hand.
needs_wheel = pytest.mark.skipif(
    importlib.util.find_spec("wordllama") is None, reason="wordllama not installed"
)


@needs_wheel
def test_the_vectors_are_wordllamas_own() -> None:
    """Mean token vectors at unit length, as `WordLlama.embed(norm=True)` gives them."""
    import wordllama

    model = wordllama.WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
    texts = [t for t in SENTENCES if t]
    ours = embedding.embedder().vectors(texts)
    assert ours.shape == (len(texts), embedding.DIM)
    assert np.allclose(ours, model.embed(texts, norm=True), atol=1e-5)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


@needs_wheel
def test_a_text_without_tokens_is_zeros() -> None:
    vectors = embedding.embedder().vectors(SENTENCES)
    assert not vectors[2].any() and vectors[[0, 1, 3]].any(axis=1).all()


@needs_wheel
def test_the_block_scales_the_sentence_and_the_sentence_before() -> None:
    text = "Troops massed at the border. More would follow, officials said."
    spans = [(0, 28), (29, len(text))]
    before = [(0, 0), (0, 28)]  # the first sentence has none
    vectors = embedding.embedder().vectors([text[s:e] for s, e in spans])
    block = embedding.embedder().block(text, spans, before, 2.0, 0.5)
    assert block.shape == (2, 2 * embedding.DIM)
    assert np.allclose(block[:, : embedding.DIM], 2.0 * vectors, atol=1e-6)
    assert not block[0, embedding.DIM :].any()
    assert np.allclose(block[1, embedding.DIM :], 0.5 * vectors[0], atol=1e-6)
    alone = embedding.embedder().block(text, spans, before, 1.0, 0.0)
    assert alone.shape == (2, embedding.DIM) and np.allclose(alone, vectors, atol=1e-6)


def test_without_the_wheel_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "wordllama" else find_spec(name, *a)
    )
    with pytest.raises(embedding.EmbeddingsMissingError, match="pip install wordllama"):
        embedding.wheel_dir()
