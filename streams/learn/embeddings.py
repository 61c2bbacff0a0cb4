"""Static token embeddings from the wordllama wheel, for the ablation only (not a dependency).

wordllama (MIT) ships 256-d embeddings derived from Llama 2's token embeddings inside its wheel;
they load with no network. A sentence is the wheel's own pooled, normalised embedding.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np


def embedder() -> Any:
    """A function from sentences to a (sentences, 256) matrix, or None when wordllama is absent."""
    try:
        import wordllama  # type: ignore[import-not-found]
    except ImportError:
        return None
    model = wordllama.WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)

    def embed(texts: list[str]) -> Any:
        if not texts:
            return np.zeros((0, 256), dtype=np.float32)
        return np.asarray(model.embed(texts), dtype=np.float32)

    return embed
