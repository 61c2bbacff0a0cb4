"""A memo of the sentence in hand, so the extractors of one sentence share their analyses.

The party finder, the place finder and the source finder all need the same name
mentions and attribution spans of a sentence; computing them once per sentence is
the point. A stream rarely repeats a sentence, so the memo keeps the last few
texts only: it never makes repeated input look fast (bench/classify.py clears it
between articles anyway).
"""

from __future__ import annotations

from functools import lru_cache

SENTENCE_MEMO = 8  # a sentence, plus the sub-spans (attributions, sources) its extractors look at

per_sentence = lru_cache(maxsize=SENTENCE_MEMO)
