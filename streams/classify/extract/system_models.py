"""Model names the gazetteer lacks, read from their context: a capitalised name before a class phrase.

"Guarani armoured vehicles" names a model, "guarani armored vehicle", though no gazetteer lists it:
reporting names far more models than any reference list holds. The system finder (systems.py) hands
over its class phrases; this module reads the words before them. Such a name is as specific as a
gazetteer name for the labels, but it is no evidence for the rules that a transfer is military
(systems.names_weapon), since any capitalised word can stand there.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from streams.classify.extract.parties import mentions
from streams.classify.text.gazetteer import load, trie_alternation

_DATA = load("systems.json")
# a facility, or a unit or an event named after a weapon, is not the weapon: "tank brigade", "drone incursion"
FACILITY = re.compile(r"\s+(?:" + trie_alternation(_DATA["not_a_weapon_after"]) + r")\b", re.I)
_CAPITAL = re.compile(r"[A-Z]")


class ClassPhrase(NamedTuple):
    """A class phrase of the sentence, as the system finder read it ("armoured combat vehicles")."""

    start: int
    end: int
    head: str  # the class of its head word ("armored vehicle")
    name: str | None  # the class the whole phrase names, None if it names no system alone ("systems")
    sized: bool  # with a calibre or a weight ("155-mm howitzers"): a model code's phrase, not a name's


_BRAND_CLASSES: dict[str, str] = _DATA["brand_classes"]  # class phrase after a name -> the name's class
_BRAND_HEADS = frozenset(_DATA["brand_heads"])  # heads that a maker's or a model's name can precede
_NOT_BRAND = frozenset(_DATA["not_brand"])  # capitalised words that name no model ("Sunday", "Four")
_BRAND_CLASS_ONLY = frozenset(_DATA["brand_class_only"])  # "Nimitz-class carriers", not "Sandcat carriers"
# one word of a model's name: "Black", "Piraña", "530", "053H3"
_BRAND_WORD = re.compile(r"(?:[A-Z][\w'\u2019.]*(?:-[A-Za-z]\w*)*|\d{1,4}[A-Za-z0-9]{0,4})$")
_WHEELS = re.compile(r"\d{1,2}x\d{1,2}$")  # "Tiger 4x4 armoured vehicles": the drive, not the name
_BRAND_AND = re.compile(r"(?:,\s*|,?\s+(?:and|or)\s+)$")
_BRAND_ASCII = str.maketrans("àáâäãåçèéêëìíîïñòóôöõùúûüýÿ\u2019", "aaaaaaceeeeiiiinooooouuuuyy'")


def _brand_class(phrase: ClassPhrase) -> str | None:
    """The class a name before this class phrase takes ("armored vehicle" of "armoured combat vehicles")."""
    if phrase.sized:  # a calibre or a weight: a code's business
        return None
    kind = _BRAND_CLASSES.get(phrase.name or phrase.head, phrase.name or phrase.head)
    return kind if kind in _BRAND_HEADS or phrase.head in _BRAND_HEADS else None


_Words = list[tuple[int, str]]  # (start, word)


def _brand_name(text: str, end: int) -> tuple[_Words, bool]:
    """The capitalised words (up to three) that end at `end` ("MD 530", "Black Mamba", "Ming-class",
    "Queen Elizabeth class"), and whether they name a ship class."""
    words: _Words = []
    is_class = False
    pos = end
    while len(words) < 3:
        stop = pos
        while stop > 0 and text[stop - 1] == " ":
            stop -= 1
        if stop == pos and words:  # words are apart by a space
            break
        word = text[text.rfind(" ", 0, stop) + 1 : stop]
        pos = stop - len(word)
        if not words and ((word == "class" and not is_class) or _WHEELS.match(word)):
            is_class = is_class or word == "class"
            continue
        if not _BRAND_WORD.match(word) or word in _NOT_BRAND or word.endswith(_NOT_BRAND_SUFFIXES):
            break
        words.insert(0, (pos, word))
    return words, is_class or bool(words and words[-1][1].endswith("-class"))


def _brand_names(text: str, end: int) -> list[tuple[_Words, bool]]:
    """The names before a class phrase, coordinated ones too ("Yagu, Black Mamba and Hurricane")."""
    out: list[tuple[_Words, bool]] = []
    while (found := _brand_name(text, end))[0]:
        out.insert(0, found)
        joint = _BRAND_AND.search(text, max(0, found[0][0][0] - 6), found[0][0][0])
        if not joint or found[1]:
            break
        end = joint.start()
    return out


_NOT_BRAND_SUFFIXES = ("-made", "-built", "-based", "-owned", "-supplied", "-led", "-backed", "-funded", "'s")


def _model_words(words: _Words, parties: tuple[tuple[int, int], ...]) -> _Words:
    """The words of a name after its last party ("Turkish Anka"; "JSC Russian" names none), without the
    sentence's first word or a leading number."""
    for i in range(len(words) - 1, -1, -1):
        start, word = words[i]
        if any(s < start + len(word) and start < e for s, e in parties):
            words = words[i + 1 :]
            break
    while words and (words[0][0] == 0 or not words[0][1][0].isupper()):
        words = words[1:]
    return words


def read_models(
    text: str, phrases: list[ClassPhrase], named: list[tuple[int, int]]
) -> tuple[list[tuple[int, int, str]], set[int]]:
    """Models the gazetteer lacks, named by a capitalised word before their class phrase: "Guarani
    armoured vehicles" -> "guarani armored vehicle", "Ming-class submarines" -> "ming-class submarine".
    A party ("Turkish drones", "Wagner trucks"), a month or a number word is no model (`not_brand`);
    nor is a word right after a named system (`named`: its spans), "CH-4 Rainbow drones".
    Returns (start, end, canonical) of each model, and the starts of class phrases that a name shows to
    be something else: "Guardian carriers" are no aircraft carriers (`brand_class_only`: only a ship
    class names those)."""
    out: list[tuple[int, int, str]] = []
    not_class: set[int] = set()
    parties: tuple[tuple[int, int], ...] | None = None
    for phrase in phrases:
        start = phrase.start
        if not text[start - 1 : start].isspace() or not _CAPITAL.search(text, max(0, start - 60), start):
            continue
        kind = None if FACILITY.match(text, phrase.end) else _brand_class(phrase)  # "missile plants"
        candidates = _brand_names(text, start) if kind else []
        if not kind or not candidates:
            continue
        first = candidates[0][0][0][0]
        if any(e <= first and not text[e:first].strip() for _, e in named):
            continue  # "CH-4 Rainbow drones": the name of a named system
        if parties is None:
            parties = tuple((p.start, p.end) for p in mentions(text))
        for name_words, is_class in candidates:
            words = _model_words(name_words, parties)
            if not words or any(s < start and words[0][0] < e for s, e in named):
                continue
            if kind in _BRAND_CLASS_ONLY and not is_class:
                not_class.add(start)
                continue
            canon = " ".join(w for _, w in words).lower().translate(_BRAND_ASCII)
            if is_class and not canon.endswith("-class"):
                canon += "-class"
            out.append((words[0][0], phrase.end, f"{canon} {kind}"))
    return out, not_class
