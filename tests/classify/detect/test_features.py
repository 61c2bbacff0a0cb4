"""The detector's and scope's word features: hashed once per article, the same buckets as hashed per block."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest

from streams.classify.detect.features import (
    _DIGITS,
    _KEPT,
    _SALT,
    _TOKEN,
    _ZEROED,
    CHAR_NS,
    DIM,
    Tokens,
    _bucket,
    char_buckets,
    context_buckets,
    featurize,
    prefix_buckets,
    word_buckets,
)
from streams.classify.detect.learned import DETECTOR
from streams.classify.detect.scope import MODEL, scoped
from streams.classify.model import CATEGORIES
from streams.classify.pipeline import classify, cues, prepare

ARTICLE = (
    "Russian troops crossed the frontier overnight, the 3rd brigade said.\n"
    "More soldiers would follow within days, officials in Kyiv said.\n"
    "Über 1,200 Soldaten: North Korea has sent 12,000 troops to Kursk since 2024.\n"
    "The ministry said 31 people were killed."
)


def test_the_byte_split_finds_the_regex_tokens() -> None:
    """Tokens by a byte translation and a split are _TOKEN's (and with every digit read as 0)."""
    rng = random.Random(13)
    alphabet = "abz019 .,-_'\"\t\n\x0b\x0c\r\x1c\x1f\x00\x7féü—中\xa0AZ"
    for _ in range(5000):
        raw = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))).lower().encode()
        assert raw.translate(_KEPT).split() == _TOKEN.findall(raw)
        assert raw.translate(_ZEROED).split() == _TOKEN.findall(raw.translate(_DIGITS))


def _article() -> tuple[str, list[tuple[int, int]], list[tuple[int, int]]]:
    prepared = prepare(ARTICLE)
    spans = [(c.start, c.end) for c in prepared.candidates]
    assert len(spans) == 4
    return prepared.low, spans, prepared.before()


def test_shared_tokens_give_the_buckets_of_each_block_alone() -> None:
    low, spans, before = _article()
    tokens = Tokens(low)
    for k in (3, 4):
        alone, shared = prefix_buckets(low, spans, k), prefix_buckets(low, spans, k, tokens=tokens)
        assert alone[0] == shared[0] and np.array_equal(alone[1], shared[1])
    for _ in range(2):  # the second call reads the buckets kept by the first
        sizes, words, pairs = word_buckets(low, spans)
        got = word_buckets(low, spans, tokens=tokens)
        assert sizes == got[0] and np.array_equal(words, got[1]) and np.array_equal(pairs, got[2])
    sizes, cols = context_buckets(low, before)
    shared_sizes, shared_cols = context_buckets(low, before, tokens=tokens)
    assert sizes == shared_sizes and sizes[0] == 0 and np.array_equal(cols, shared_cols)
    subset = [spans[2], spans[0]]  # scope reads some of the detector's sentences, in its own order
    sizes, words, pairs = word_buckets(low, subset)
    got = word_buckets(low, subset, tokens=tokens)
    assert sizes == got[0] and np.array_equal(words, got[1]) and np.array_equal(pairs, got[2])


def test_shared_tokens_leave_the_logits_and_scopes_bit_for_bit() -> None:
    assert DETECTOR is not None and MODEL is not None
    low, spans, before = _article()
    names = cues(prepare(ARTICLE).candidates, DETECTOR.previous)
    tokens = Tokens(low)
    shared = DETECTOR.logits(low, spans, names, before, tokens=tokens)
    assert np.array_equal(shared, DETECTOR.logits(low, spans, names, before))
    events = classify(ARTICLE)
    assert len(events) >= 2
    assert scoped(events, low, MODEL, tokens) == scoped(events, low, MODEL)


@pytest.mark.parametrize(
    ("chars", "prefixes", "context", "bigrams"),
    [
        (True, 0, 0.5, True),
        (False, 4, 0.5, True),
        (True, 4, 0.0, True),
        (False, 0, 0.0, True),
        (True, 0, 0.5, False),
    ],
)
def test_the_detector_s_logits_are_the_product_of_the_features_it_trains_on(
    chars: bool, prefixes: int, context: float, bigrams: bool
) -> None:
    """Training reads featurize's (row, bucket, value) triples; the pipeline sums weight rows per block.
    Both must give one sentence the same log-odds, whichever blocks are on."""
    assert DETECTOR is not None
    low, spans, before = _article()
    names = cues(prepare(ARTICLE).candidates, DETECTOR.previous)
    rng = np.random.default_rng(7)
    weights = rng.normal(size=(DIM, len(CATEGORIES))).astype(np.float32)
    detector = replace(
        DETECTOR, weights=weights, chars=chars, prefixes=prefixes, context=context, bigrams=bigrams
    )
    rows, cols, vals = featurize(
        low, spans, names, chars=chars, bigrams=bigrams, before=before, context=context, prefixes=prefixes
    )
    want = np.zeros((len(spans), len(CATEGORIES)), dtype=np.float64)
    np.add.at(want, rows, weights[cols].astype(np.float64) * vals[:, None])
    got = detector.logits(low, spans, names, before) - detector.bias
    assert np.allclose(got, want, atol=1e-3)
    if chars:  # the character block is there: without it the log-odds differ
        assert not np.allclose(
            replace(detector, chars=False).logits(low, spans, names, before) - detector.bias, want, atol=1e-3
        )


def test_char_ngrams_are_the_polynomial_hashes_of_each_sentence_s_substrings() -> None:
    """Horner's rule over the whole article gives each sentence's own 3-5-grams, digits read as 0, none
    that crosses a sentence's end; a span shorter than an n-gram has none of that length."""
    low = "ab 12. xy\nq"
    spans = [(0, 6), (7, 9), (10, 11)]
    sizes, cols = char_buckets(low, spans)
    want: list[int] = []
    for start, end in spans:
        text = low[start:end].translate(str.maketrans("123456789", "000000000"))
        for i in range(len(text)):
            for k in CHAR_NS:
                if i + k <= len(text):
                    h = 0
                    for ch in text[i : i + k]:
                        h = (h * 0x100000001B3 + ord(ch)) % (1 << 64)
                    want.append(_bucket(np.asarray([h], dtype=np.uint64), _SALT[k])[0])
    assert sizes == [4 + 3 + 2, 0, 0]
    assert cols.tolist() == want
