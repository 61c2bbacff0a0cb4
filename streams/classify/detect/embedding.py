"""Static sentence embeddings, a dense block of the learned detector.

The `wordllama` wheel (MIT) ships a 256-d token table derived from Llama 2's token embeddings and
its tokenizer (MODEL_CARD.md). A sentence's vector is the mean of its tokens' rows scaled to unit
length, as wordllama's `embed(norm=True)`; computed here with one tokenizer batch and numpy per
article, reading the wheel's two files directly, so importing the pipeline does not import
wordllama's download machinery (pydantic, requests). Loaded once, on first use.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

DIM = 256
_WEIGHTS = ("weights", "l2_supercat_256.safetensors")
_TOKENIZER = ("tokenizers", "l2_supercat_tokenizer_config.json")
_TENSOR = "embedding.weight"

Matrix = npt.NDArray[np.float32]


class EmbeddingsMissingError(RuntimeError):
    """The shipped detector reads sentence embeddings and the wordllama wheel is not installed."""


class Encoding(Protocol):
    @property
    def ids(self) -> list[int]: ...


class Tokenizer(Protocol):
    """What is used of `tokenizers.Tokenizer` (the wheel's dependency, not ours: typed here)."""

    def encode(self, sequence: str, *, add_special_tokens: bool) -> Encoding: ...


@dataclass(frozen=True)
class Embedder:
    table: Matrix  # (vocabulary, DIM)
    tokenizer: Tokenizer

    def vectors(self, texts: Sequence[str]) -> Matrix:
        """(texts, DIM) unit-length mean token vectors; a text with no tokens is all zeros."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        encode = self.tokenizer.encode  # one by one: encode_batch's threads cost more than they save here
        tokens = [encode(t, add_special_tokens=False).ids for t in texts]
        sizes = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
        ids = np.fromiter(chain.from_iterable(tokens), dtype=np.int64, count=int(sizes.sum()))
        if not len(ids):
            return out
        np.clip(ids, 0, len(self.table) - 1, out=ids)
        some = sizes > 0
        starts = (np.cumsum(sizes) - sizes)[some]
        sums = np.add.reduceat(self.table[ids], starts, axis=0)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        out[some] = sums / np.maximum(norms, np.float32(1e-12))
        return out

    def block(
        self,
        text: str,
        spans: Sequence[tuple[int, int]],
        before: Sequence[tuple[int, int]],
        scale: float,
        context: float,
    ) -> Matrix:
        """The detector's dense features of the sentences `spans` of `text`: (sentences, DIM or 2*DIM).

        The sentence's vector times `scale`, then (when `context`) the sentence before's times
        `context`; an empty span before (an article's first sentence) is zeros. One batch per article.
        """
        wanted = list(spans) + list(before) if context else list(spans)
        distinct = list(dict.fromkeys(wanted))  # the sentence before is mostly the candidate before
        at = {span: i for i, span in enumerate(distinct)}
        vecs = self.vectors([text[s:e] for s, e in distinct])[[at[span] for span in wanted]]
        n = len(spans)
        if not context:
            return vecs * np.float32(scale)
        return np.hstack((vecs[:n] * np.float32(scale), vecs[n:] * np.float32(context)))


def wheel_dir() -> Path:
    """The installed wordllama package's directory, found without importing it."""
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingsMissingError(
            "the detector reads sentence embeddings from the wordllama wheel, which is not installed; "
            "install sitrep's dependencies (pip install wordllama 'click<8.4')"
        )
    return Path(next(iter(spec.submodule_search_locations)))


@cache
def embedder() -> Embedder:
    """The wheel's token table (as float32) and tokenizer, loaded once."""
    root = wheel_dir()
    # wordllama's own dependencies, present with it (typed at this boundary: Tokenizer, Matrix)
    from safetensors.numpy import load_file  # type: ignore[import-not-found,unused-ignore]
    from tokenizers import Tokenizer as Loaded  # type: ignore[import-not-found,unused-ignore]

    tensors: dict[str, npt.NDArray[np.generic]] = load_file(str(root.joinpath(*_WEIGHTS)))
    table: Matrix = np.ascontiguousarray(tensors[_TENSOR], dtype=np.float32)
    tokenizer: Tokenizer = Loaded.from_file(str(root.joinpath(*_TOKENIZER)))
    return Embedder(table, tokenizer)
