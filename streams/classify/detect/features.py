"""Sentence features of the learned detector, computed for a whole article at once.

Training (streams/learn) calls `featurize`; inference (learned.py) sums the same buckets
from `detector_buckets` (word_buckets, prefix_buckets, context_buckets and cue_buckets in one
array), and a test holds the two equal. At inference an article's sentences are tokenised and
hashed once (`Tokens`): the sentence, the sentence before and scope read the same hashes.
Words and word bigrams are crc32 hashes of UTF-8 tokens mixed into DIM buckets; character
n-grams (measured, not shipped) are polynomial hashes of every substring from prefix sums, in
one vectorised pass; the rules' cues (lexicon tags, the categories `_detect` fires, the previous
sentence's) are named strings hashed with crc32. A sentence's text blocks are scaled to unit length,
cues count 1.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from itertools import accumulate, chain, repeat
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

BITS = 18
DIM = 1 << BITS
CHAR_NS = (3, 4, 5)
_P = np.uint64(0x100000001B3)  # the char n-grams' polynomial base (their hashes wrap modulo 2**64)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_SHIFT = np.uint64(64 - BITS)
_SALT = {3: 0x3C3C3C3, 4: 0x4D4D4D4, 5: 0x5E5E5E5}
_CHAR_KS = np.asarray(CHAR_NS, dtype=np.int64)
_CHAR_SALTS = np.asarray([_SALT[k] for k in CHAR_NS], dtype=np.uint64)  # CHAR_NS are consecutive
_CUE_BUCKETS: dict[str, int] = {}
_TOKEN = re.compile(rb"[a-z0-9\x80-\xff]+")  # lowercased text: ASCII words, and UTF-8 runs as words
_DIGITS = bytes.maketrans(b"123456789", b"000000000")
# _TOKEN's tokens by a byte translation and a split, both in C (3x faster than findall): every byte
# outside its class becomes a space; _ZEROED also reads every digit as 0
_KEPT = bytes(c if 97 <= c <= 122 or 48 <= c <= 57 or c >= 128 else 32 for c in range(256))
_ZEROED = _KEPT.translate(_DIGITS)
_WORD_SALT = 0x5EED
_BIGRAM_SALT = 0xB16B
_PREFIX_SALT = 0x9F15
_CONTEXT_SALT = 0xC0DE  # the sentence before's words: their own buckets, not the sentence's
_START = np.uint64(0x57A27)  # the hash a sentence's first word follows

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float32]


def _bucket(h: npt.NDArray[np.uint64], salt: int | npt.NDArray[np.uint64]) -> Ints:
    """`salt`: one for all, or one per hash. Array arithmetic wraps modulo 2**64 without a warning
    (only scalar arithmetic warns), so no errstate: entering one costs more than the hashing."""
    h = (h ^ (np.uint64(salt) if isinstance(salt, int) else salt)) * _MIX
    h = (h ^ (h >> np.uint64(29))) * _MIX
    return (h >> _SHIFT).astype(np.int64)


def cue_bucket(name: str) -> int:
    """The bucket of a named cue ("t:dep_strong", "r:supply", "p:r:casualty")."""
    b = _CUE_BUCKETS.get(name)
    if b is None:
        b = _CUE_BUCKETS[name] = zlib.crc32(name.encode()) & (DIM - 1)
    return b


def _scaled(rows: Ints, n: int) -> Floats:
    counts = np.bincount(rows, minlength=n).astype(np.float32)
    return (1.0 / np.sqrt(np.maximum(counts, 1.0)))[rows].astype(np.float32)


class Tokens:
    """One article's sentences tokenised and hashed once, shared by every block that reads them.

    The detector's sentence block, its prefix block, its sentence-before block and scope read the same
    sentences: each span's tokens are found and crc32-hashed on first use, and each span's word and
    bigram buckets are kept as computed, so scope reads the detector's. Spans index `low`.
    """

    __slots__ = ("_buckets", "_prefixes", "_words", "low")

    def __init__(self, low: str) -> None:
        self.low = low
        self._words: dict[tuple[int, int], list[int]] = {}  # crc32 of each token, digits read as 0
        self._prefixes: dict[tuple[int, int, int], list[int]] = {}  # (start, end, k): crc32 of prefixes
        self._buckets: dict[tuple[int, int], tuple[Ints, Ints]] = {}  # word and bigram buckets

    def words(self, span: tuple[int, int]) -> list[int]:
        found = self._words.get(span)
        if found is None:
            found = self._read(span, 0)
        return found

    def prefixes(self, span: tuple[int, int], k: int) -> list[int]:
        found = self._prefixes.get((span[0], span[1], k))
        if found is None:
            self._read(span, k)
            found = self._prefixes[(span[0], span[1], k)]
        return found

    def keep(self, spans: Sequence[tuple[int, int]], sizes: Sequence[int], words: Ints, pairs: Ints) -> None:
        """Keep each span's word and bigram buckets (`sizes[i]` of them for spans[i]) for later readers."""
        at = 0
        for span, size in zip(spans, sizes, strict=True):
            self._buckets[span] = (words[at : at + size], pairs[at : at + size])
            at += size

    def _read(self, span: tuple[int, int], k: int) -> list[int]:
        """Hash the span's words (and, when k, the k-letter prefixes of its longer words): one encode."""
        raw = self.low[span[0] : span[1]].encode()
        found = self._words.get(span)
        if found is None:
            found = self._words[span] = _crc(raw.translate(_ZEROED).split(), _WORD_SALT)
        if k:
            heads = [t[:k] for t in raw.translate(_KEPT).split() if len(t) > k]
            self._prefixes[(span[0], span[1], k)] = _crc(heads, _PREFIX_SALT)
        return found


def _crc(items: list[bytes], salt: int) -> list[int]:
    """crc32 of each item, from `salt`."""
    return list(map(zlib.crc32, items, repeat(salt, len(items))))


def _hashes(low: str, spans: Sequence[tuple[int, int]], tokens: Tokens | None) -> tuple[list[int], list[int]]:
    """Tokens per sentence and their crc32 hashes, sentence by sentence."""
    sizes: list[int] = []
    if tokens is not None:
        hashes: list[int] = []
        for span in spans:
            found = tokens.words(span)
            sizes.append(len(found))
            hashes += found
        return sizes, hashes
    words: list[bytes] = []
    for start, end in spans:
        found_tokens = low[start:end].encode().translate(_ZEROED).split()
        sizes.append(len(found_tokens))
        words += found_tokens
    return sizes, _crc(words, _WORD_SALT)


def word_buckets(
    low: str, spans: Sequence[tuple[int, int]], *, bigrams: bool = True, tokens: Tokens | None = None
) -> tuple[list[int], Ints, Ints | None]:
    """Tokens per sentence, and each token's word bucket and bigram bucket (aligned, sentence by sentence).

    crc32 of the UTF-8 token (every digit read as 0); a bigram mixes its two words' hashes, the
    first word of a sentence following a start mark. No bigram buckets when `bigrams` is false.
    `tokens`: the article's shared hashes (and buckets already computed), when the caller has them.
    """
    if tokens is not None and bigrams and spans and all(span in tokens._buckets for span in spans):
        kept = [tokens._buckets[span] for span in spans]
        return (
            [len(w) for w, _ in kept],
            np.concatenate([w for w, _ in kept]),
            np.concatenate([p for _, p in kept]),
        )
    sizes, found = _hashes(low, spans, tokens)
    hashes = np.fromiter(found, dtype=np.uint64, count=len(found))
    if not bigrams:
        return sizes, _bucket(hashes, _WORD_SALT), None
    before = np.empty_like(hashes)
    if len(hashes):
        before[1:] = hashes[:-1]
        firsts = np.cumsum(np.asarray(sizes[:-1], dtype=np.int64))
        before[0] = _START
        before[firsts[firsts < len(hashes)]] = _START
    with np.errstate(over="ignore"):
        pairs = (before * _MIX) ^ hashes
    words, pair_buckets = _bucket(hashes, _WORD_SALT), _bucket(pairs, _BIGRAM_SALT)
    if tokens is not None:
        tokens.keep(spans, sizes, words, pair_buckets)
    return sizes, words, pair_buckets


def context_buckets(
    low: str, before: Sequence[tuple[int, int]], *, tokens: Tokens | None = None
) -> tuple[list[int], Ints]:
    """Tokens per sentence before, and their context buckets (the same words, another salt)."""
    sizes, words, _ = word_buckets(low, before, bigrams=False, tokens=tokens)
    with np.errstate(over="ignore"):
        mixed = words.astype(np.uint64) * _MIX
    return sizes, _bucket(mixed, _CONTEXT_SALT)


def prefix_buckets(
    low: str, spans: Sequence[tuple[int, int]], k: int, *, tokens: Tokens | None = None
) -> tuple[list[int], Ints]:
    """Per sentence, the number of its words longer than k letters, and their k-letter prefixes' buckets."""
    sizes: list[int] = []
    hashes_found: list[int] = []
    if tokens is not None:
        for span in spans:
            found = tokens.prefixes(span, k)
            sizes.append(len(found))
            hashes_found += found
    else:
        for start, end in spans:
            heads = _crc(
                [t[:k] for t in low[start:end].encode().translate(_KEPT).split() if len(t) > k], _PREFIX_SALT
            )
            sizes.append(len(heads))
            hashes_found += heads
    hashes = np.fromiter(hashes_found, dtype=np.uint64, count=len(hashes_found))
    return sizes, _bucket(hashes, _PREFIX_SALT)


def cue_buckets(cues: Sequence[Sequence[str]]) -> tuple[list[int], Ints]:
    """Cues per sentence and their buckets, sentence by sentence."""
    known = _CUE_BUCKETS
    cols = [known.get(x) or cue_bucket(x) for names in cues for x in names]
    return [len(names) for names in cues], np.asarray(cols, dtype=np.int64)


class Blocks(NamedTuple):
    """The buckets of an article's sentences for every block the detector reads, in one array.

    `cols` holds the word buckets, the bigram buckets (one per word), the prefix buckets, the context
    buckets and the cue buckets, in that order; each block's entry is its count per sentence
    (None: the block is off). What word_buckets, prefix_buckets, context_buckets and cue_buckets
    give, with one hashing per sentence and one bucketing for the whole article.
    """

    cols: Ints
    words: list[int]
    prefixes: list[int] | None
    context: list[int] | None
    cues: list[int] | None


def detector_buckets(
    tokens: Tokens,
    spans: Sequence[tuple[int, int]],
    before: Sequence[tuple[int, int]],
    cues: Sequence[Sequence[str]],
    *,
    prefixes: int,
) -> Blocks:
    """The article's Blocks: `before` empty turns the context block off, cues all empty the cue block."""
    if prefixes:  # first: one pass over each sentence hashes its words and prefixes
        prefix_sizes: list[int] | None = []
        prefix_hashes: list[int] = []
        for span in spans:
            found = tokens.prefixes(span, prefixes)
            prefix_sizes.append(len(found))  # type: ignore[union-attr]
            prefix_hashes += found
    else:
        prefix_sizes, prefix_hashes = None, []
    word_sizes, word_hashes = _hashes(tokens.low, spans, tokens)
    context_sizes, context_hashes = _hashes(tokens.low, before, tokens) if before else (None, [])
    nw, np_, nc = len(word_hashes), len(prefix_hashes), len(context_hashes)
    hashes = np.fromiter(
        chain(word_hashes, word_hashes, prefix_hashes, context_hashes),
        dtype=np.uint64,
        count=2 * nw + np_ + nc,
    )
    if nw:  # the bigrams: each word's hash mixed with the one before it (a start mark for a sentence's first)
        words, pairs = hashes[:nw], hashes[nw : 2 * nw]
        pairs[1:] = words[:-1]
        firsts = np.fromiter(accumulate(word_sizes[:-1]), dtype=np.int64, count=len(word_sizes) - 1)
        pairs[0] = _START
        pairs[firsts[firsts < nw]] = _START
        pairs *= _MIX  # arrays wrap without a warning (see _bucket)
        pairs ^= words
    salts = np.repeat(_BLOCK_SALTS, (nw, nw, np_, nc))
    cols = _bucket(hashes, salts)
    if nc:
        mixed = cols[2 * nw + np_ :].astype(np.uint64) * _MIX
        cols[2 * nw + np_ :] = _bucket(mixed, _CONTEXT_SALT)
    tokens.keep(spans, word_sizes, cols[:nw], cols[nw : 2 * nw])
    cue_sizes = None
    if any(cues):
        cue_sizes, cue_cols = cue_buckets(cues)
        cols = np.concatenate((cols, cue_cols))
    return Blocks(cols, word_sizes, prefix_sizes, context_sizes, cue_sizes)


_BLOCK_SALTS = np.array([_WORD_SALT, _BIGRAM_SALT, _PREFIX_SALT, _WORD_SALT], dtype=np.uint64)


def _words(low: str, spans: Sequence[tuple[int, int]], bigrams: bool) -> tuple[Ints, Ints]:
    sizes, words, pairs = word_buckets(low, spans, bigrams=bigrams)
    rows = np.repeat(np.arange(len(spans), dtype=np.int64), sizes)
    if pairs is None:
        return rows, words
    return np.concatenate((rows, rows)), np.concatenate((words, pairs))


def char_buckets(low: str, spans: Sequence[tuple[int, int]]) -> tuple[list[int], Ints]:
    """Character 3-5-gram buckets, sentence by sentence (each position's 3-, 4- and 5-gram in turn),
    and their count per sentence. Each n-gram's polynomial hash is built by Horner's rule over the
    whole article at once, the 4-grams from the 3-grams and the 5-grams from the 4-grams: a few array
    operations per article. Digits read as 0: numbers by shape, not value."""
    n = len(spans)
    codes = np.frombuffer(low.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    codes[(codes >= 48) & (codes <= 57)] = 48
    size = len(codes)
    grams = np.zeros((size, len(CHAR_NS)), dtype=np.uint64)  # [i, j]: the CHAR_NS[j]-gram at i
    first = CHAR_NS[0]
    if size >= first:
        h = codes[: size - first + 1].copy()
        for j in range(1, first):
            h *= _P
            h += codes[j : size - first + 1 + j]
        grams[: size - first + 1, 0] = h
        for j, k in enumerate(CHAR_NS[1:], 1):
            if size < k:
                break
            h = h[:-1] * _P + codes[k - 1 :]
            grams[: size - k + 1, j] = h
    starts = np.fromiter((s for s, _ in spans), dtype=np.int64, count=n)
    ends = np.fromiter((e for _, e in spans), dtype=np.int64, count=n)
    lengths = ends - starts
    pos = np.arange(int(lengths.sum()), dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    pos += np.repeat(starts, lengths)
    keep = pos[:, None] + _CHAR_KS[None, :] <= np.repeat(ends, lengths)[:, None]
    sizes = np.maximum(lengths[:, None] - _CHAR_KS[None, :] + 1, 0).sum(axis=1)  # a span of L: L - k + 1
    salts = np.broadcast_to(_CHAR_SALTS, keep.shape)[keep]
    return sizes.tolist(), _bucket(grams[pos][keep], salts)


def _chars(low: str, spans: Sequence[tuple[int, int]]) -> tuple[Ints, Ints]:
    sizes, cols = char_buckets(low, spans)
    return np.repeat(np.arange(len(spans), dtype=np.int64), sizes), cols


def featurize(
    low: str,
    spans: Sequence[tuple[int, int]],
    cues: Sequence[Sequence[str]],
    *,
    chars: bool = True,
    words: bool = True,
    bigrams: bool = True,
    before: Sequence[tuple[int, int]] = (),
    context: float = 0.0,
    prefixes: int = 0,
) -> tuple[Ints, Ints, Floats]:
    """(row, bucket, value) triples for the sentences `spans` of the lowercased text `low`.

    `before`: the span of the sentence before each one (empty when none), whose word unigrams
    count with total length `context` (0: not read).
    """
    n = len(spans)
    rows_out: list[Ints] = []
    cols_out: list[Ints] = []
    vals_out: list[Floats] = []
    if n and words:
        r, c = _words(low, spans, bigrams)
        rows_out.append(r)
        cols_out.append(c)
        vals_out.append(_scaled(r, n))
    if n and chars:
        r, c = _chars(low, spans)
        rows_out.append(r)
        cols_out.append(c)
        vals_out.append(_scaled(r, n))
    if n and prefixes:
        sizes, cols = prefix_buckets(low, spans, prefixes)
        r = np.repeat(np.arange(n, dtype=np.int64), sizes)
        rows_out.append(r)
        cols_out.append(cols)
        vals_out.append(_scaled(r, n))
    if n and context and before:
        sizes, cols = context_buckets(low, before)
        r = np.repeat(np.arange(n, dtype=np.int64), sizes)
        rows_out.append(r)
        cols_out.append(cols)
        vals_out.append(_scaled(r, n) * np.float32(context))
    if any(cues):
        sizes, cols = cue_buckets(cues)
        rows_out.append(np.repeat(np.arange(n, dtype=np.int64), sizes))
        cols_out.append(cols)
        vals_out.append(np.ones(len(cols), dtype=np.float32))
    if not rows_out:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    return np.concatenate(rows_out), np.concatenate(cols_out), np.concatenate(vals_out)
