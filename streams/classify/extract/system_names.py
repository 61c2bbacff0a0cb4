"""The labels' convention for a system's name, as the dev sets write it (data/systems.json "conventions").

Lower case, American spelling, calibres as "155-mm" and weights as "500-pound", singular, and the
type word of the class ("f-16 fighter jet", "armored vehicle"). One function, used by the gazetteer
build, the corpus harmonisation and the corpus test, so labels and extractor share one spelling.
"""

from __future__ import annotations

import re

from streams.classify.text.gazetteer import load

_CONV = load("systems.json")["conventions"]
_SPELLING: dict[str, str] = _CONV["spelling"]
_TYPE_WORDS: dict[str, str] = _CONV["type_words"]
UMBRELLA = frozenset(_CONV["umbrella"])  # a system only in a list with a system of a class
NO_CLASS = frozenset(_CONV["no_class"])  # never a system on its own
_LONGEST = max(len(k.split()) for k in _TYPE_WORDS)

_WORD = re.compile(r"[a-z]+")
_CALIBRE = re.compile(r"(?<![\w.])(\d{2,3}(?:\.\d{1,2})?)\s?-?\s?mm\b")
_WEIGHT = re.compile(r"\b(\d{1,3}(?:,\d{3})?)\s?-?\s?(?:lb|lbs|pounds?)\b")
_SPACES = re.compile(r"\s+")


def _type_word(name: str) -> str:
    """The name with its trailing class wording replaced by the class's type word, to a fixed point."""
    for _ in range(4):
        words = name.split(" ")
        for k in range(min(_LONGEST, len(words)), 0, -1):
            tail = " ".join(words[-k:])
            if tail in _TYPE_WORDS:
                name = " ".join([*words[:-k], _TYPE_WORDS[tail]])
                break
        if name == " ".join(words):
            return name
    return name


def conventional(name: str) -> str:
    """`name` in the labels' convention: "155 mm Artillery Shells" -> "155-mm artillery shell"."""
    name = _SPACES.sub(" ", name.strip().lower())
    name = _WORD.sub(lambda m: _SPELLING.get(m.group(0), m.group(0)), name)
    name = _CALIBRE.sub(r"\1-mm", name)
    name = _WEIGHT.sub(r"\1-pound", name)
    return _type_word(name)
