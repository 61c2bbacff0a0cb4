"""Weapon and equipment names, normalised as the labels write them (data/systems.json).

Three kinds of mention, one pass each: named systems ("HIMARS", "Shahed-136"), which
carry their class; model codes followed by a class ("ALTIUS-600M-V drones"); and
generic class phrases ("240-mm rocket launchers" -> "240-mm rocket launcher"). A class
phrase right after a named system belongs to it, and a generic that a named system of
the same kind already covers is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from streams.classify.extract.system_models import FACILITY, ClassPhrase, read_models
from streams.classify.text.gazetteer import WORD_START, load, trie_alternation, word_start_finditer
from streams.classify.text.memo import per_sentence
from streams.classify.text.words import Words

MAX_CHARS = 4000

_DATA = load("systems.json")
_NAMED: dict[str, str] = {a: n["canonical"] for n in _DATA["named"] for a in n["aliases"]}
_HEADS: dict[str, str] = _DATA["heads"]
_MODS: dict[str, str] = _DATA["modifiers"]
_PHRASES: dict[str, str] = _DATA["phrases"]
_NEED_MOD = frozenset(_DATA["need_modifier"])
_COORD_ONLY = frozenset(_DATA["coordination_only"])
_AMMO = frozenset(_DATA["ammo_after_named"])
_INTERCEPTORS = frozenset(_DATA["interceptors_after_named"])
_DEFENSE = (" air defense system", " missile defense system")
_SYSTEM_WORD = re.compile(r"(?:system|batter|unit|launcher|defen[cs]e)", re.I)
_CARRIERS: dict[str, str] = {c.split()[-1]: c for c in _DATA["carriers"]}
# Surnames that name presidents, papers and foundations too ("the Washington Post", "the Reagan era").
_PEOPLE = frozenset({"Washington", "Lincoln", "Roosevelt", "Kennedy", "Bush", "Reagan"})
# Ships known by a name after "the": "the Vinson", "the Shandong", "the carrier Charles de Gaulle".
_BY_NAME: dict[str, str] = {
    **{
        last: f"uss {full.lower()} aircraft carrier"
        for last, full in _CARRIERS.items()
        if last not in _PEOPLE
    },
    **{full: f"uss {full.lower()} aircraft carrier" for full in _DATA["carriers"]},
    **_DATA["ships_by_name"],
}

NAMED, CLASSED, BARE = 0, 1, 2  # how specific a mention is: a name or code, a modified class, a bare class
MODEL = 3  # a name the gazetteer lacks, read off its class phrase ("Guarani armoured vehicles"): as specific
# as NAMED, but no evidence for the rules that a transfer is military (names_weapon)
_Found = list[tuple[int, int, str, int]]
Mentions = tuple[tuple[int, int, str, int], ...]

_CAL = r"(?<![\d,.])(\d{2,3}(?:\.\d{1,2})?)\s?-?\s?(?:mm|millimet(?:re|er)s?)(?![a-z])"
_GENERIC = re.compile(
    r"(?<![\w-])(?:" + _CAL + r"(?:\s*(?:and|or|,)\s*" + _CAL + r")?[\s-]*)?"
    r"(?:(\d{1,3}(?:,\d{3})?)-(?:pound|lb|kg|kilogram)\s+)?"
    r"((?:(?:" + trie_alternation(list(_MODS)) + r")\s+){0,4})"
    r"(" + trie_alternation(list(_HEADS)) + r")(?![\w-])",
)  # run on the lowercased text: case-folding in the engine costs twice the time
_HEAD = Words(_HEADS)  # where the first class word stands: one automaton pass
_PREFIX = 200  # chars a class phrase may have before its head: calibres, weights, four modifiers
_NAMED_SUFFIXES = ("", "s", "-type", "-types")  # "HIMARS", "Shahed-136s", "Grad-type rockets"
_NAMED_BODY = re.compile(r"(" + trie_alternation(list(_NAMED)) + r")(?:-type)?s?(?![\w-])")
_NAMED_RE = re.compile(WORD_START + _NAMED_BODY.pattern)  # a name at a given offset
_NAMED_WORDS = Words(_NAMED, suffixes=_NAMED_SUFFIXES)  # what word_start_finditer(_NAMED_BODY) finds
_CODE_BODY = re.compile(r"([A-Z][A-Za-z]{0,7}-?\d{1,4}[A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)\s+(?=\S)")
_SHIP_CLASSES = frozenset(_DATA["ship_classes"])
_SHIP = re.compile(
    r"\b(" + "|".join(_DATA["ship_prefixes"]) + r")\s+([A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3})"
    r"|\b[Tt]he\s+(?:(?:aircraft\s+)?carrier\s+)?(" + trie_alternation(list(_BY_NAME)) + r")\b"
    r"|\b[Tt]he\s+(" + "|".join(sorted(_PEOPLE)) + r")(?=\s+(?:carrier|strike group)\b)"
)
_SHIP_HINT = re.compile(trie_alternation([*_DATA["ship_prefixes"], *_BY_NAME, *_PEOPLE]))  # most name no ship
_NOT_SHIP_NAME = re.compile(
    r"(?:Amphibious|Carrier|Strike|Group|Ready|Task|Force|Navy|January|February|March|April|May|June|July"
    r"|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|The|A|An|In|On|At|Off|Near|And|Of|From|To|With|Was|Is)\b"
)
_CLASS_BEFORE_NAME = re.compile(r",?\s+(?:the\s+)?")
_CLASS_AFTER_NAME = re.compile(r",\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}?")
_NAME_AFTER_CLASS = re.compile(
    r"\s+([A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+){0,2})\b(?!\s+(?:Sea|Strait|Ocean|Gulf|Bay|Island))"
)
_GAP = re.compile(r"(?:\s*\([^()]{1,40}\))?\s*(?:-type\s*)?")
# a list's joint, with the next item's count: "aircraft and 60 ships", "aircraft and a coast guard vessel"
_COUNT = trie_alternation(["a", "an", "some", "several", *load("quantities.json")["words"]])
_COORD = re.compile(r"\s*(?:,|and|or|&|,\s*and|,\s*or)\s*(?:(?:\d[\d,.]*|" + _COUNT + r")\s+)?", re.I)
_DIGIT = re.compile(r"\d")
_CODE_AND = re.compile(r"\s+(?:and|or)\s+")
_CIVIL_BEFORE = re.compile(
    r"\b(?:" + trie_alternation(_DATA["civil_before"]) + r")\s+$", re.I
)  # "cargo ships"
_REGIMENTS = frozenset(_DATA["regiments"])  # "the Assam Rifles": a force, not its rifles
_NAME_BEFORE = re.compile(r"\b[A-Z][\w-]*\s+$")
_NOT_WEAPON_BEFORE = re.compile(r"(?:think|fuel|water|oil|septic|storage|gas)\s+$", re.I)


def _generic_name(m: re.Match[str]) -> tuple[list[str], int]:
    """The canonical names of one generic match (two when calibres are coordinated), and their kind."""
    cal, cal2, weight, mod_text, head_text = m.groups()
    mods = [_MODS[w] for w in _split_mods(mod_text)] if mod_text else []
    head = _HEADS[head_text.lower()]
    phrase = _class_phrase(mods, head)
    has_mod = any(mods) or cal or weight
    kind = CLASSED if has_mod or " " in head_text else BARE
    if not phrase or (head in _NEED_MOD and not has_mod and phrase == head):
        return [], kind
    return _sized(phrase, head, weight, (cal, cal2)), kind


def _class_phrase(mods: list[str], head: str) -> str:
    """The modifiers and head as one class phrase, in the labels' canonical wording."""
    phrase = " ".join([w for w in mods if w and not head.startswith(w + " ")] + [head])
    phrase = _PHRASES.get(phrase, phrase)
    if phrase.endswith(" missile system"):
        phrase = phrase[: -len(" system")]
    return phrase


def _sized(phrase: str, head: str, weight: str | None, calibres: tuple[str | None, str | None]) -> list[str]:
    """The class with its weight ("500-pound bomb") and each calibre ("155-mm artillery shell")."""
    if weight:
        phrase = f"{weight}-pound {phrase}"
    if head == "shell" and phrase == "shell":
        phrase = "artillery shell"
    if not any(calibres):
        return [phrase]
    if phrase in ("round", "shell"):
        phrase = "artillery shell"
    return [f"{c}-mm {phrase}" for c in calibres if c]


def _split_mods(text: str) -> list[str]:
    out: list[str] = []
    rest = text.strip()
    while rest:
        m = _MOD_ONE.match(rest)
        if not m:
            break
        out.append(m.group(0).lower())
        rest = rest[m.end() :].lstrip()
    return out


_MOD_ONE = re.compile(r"(?:" + trie_alternation(list(_MODS)) + r")(?=\s|$)", re.I)


def _what_it_fires(canon: str, after: list[str]) -> str | None:
    """The ammunition a launcher's name names ("HIMARS rockets": "himars ammunition"), or the missiles an
    air defence system's name names ("Patriot interceptors": "patriot missile"; not "Patriot missile
    systems"); `after`: the next words."""
    word = after[0].lower().strip(",.")
    if canon.endswith("launcher") and word in _AMMO:
        return canon.split(maxsplit=1)[0] + " ammunition"
    if canon.endswith(_DEFENSE) and word in _INTERCEPTORS and not _SYSTEM_WORD.match(" ".join(after[1:2])):
        return (
            canon[: canon.rindex(" defense system")].removesuffix(" air").removesuffix(" missile")
            + " missile"
        )
    return None


def _specific(text: str) -> _Found:
    """Named ships and systems: (start, end, canonical, NAMED)."""
    found: _Found = []
    for start, end, name in _NAMED_WORDS.longest(text):
        canon = _NAMED[name]
        nxt = text[end : end + 30].split(maxsplit=2)
        if nxt:
            canon = _what_it_fires(canon, nxt) or canon
        found.append((start, end, canon, NAMED))
    return found


def _ship_name(raw: str) -> str:
    """A prefixed ship's name without a trailing full stop or the class words that follow it."""
    words = raw.split()
    for i, word in enumerate(words):
        if i and _NOT_SHIP_NAME.fullmatch(word):
            words = words[:i]
            break
    return " ".join(words).rstrip(".,")


def _ships(text: str, generics: list[tuple[re.Match[str], list[str], int]], named: _Found) -> _Found:
    """Named ships with the class beside them: "the destroyer USS McFaul", "HMS Kent, a frigate"."""
    classes = [(m.start(), m.end(), names[0]) for m, names, _ in generics if names[0] in _SHIP_CLASSES]
    out: _Found = []
    if not classes and not _SHIP_HINT.search(text):
        return out
    for m in _SHIP.finditer(text):
        if any(s <= m.end() - 1 and m.start() < e for s, e, _, _ in named):
            continue  # the gazetteer knows this ship ("USS Iwo Jima")
        if m.group(3) or m.group(4):
            name = m.group(3) or m.group(4)
            out.append(
                (
                    m.start(),
                    m.end(),
                    _BY_NAME.get(name) or f"uss {_CARRIERS[name].lower()} aircraft carrier",
                    NAMED,
                )
            )
            continue
        prefix, name = m.group(1), _ship_name(m.group(2))
        start, end = m.start(), m.start(1) + len(prefix) + 1 + len(name)
        kind = ""
        for cs, ce, canon in classes:
            if ce <= start and _CLASS_BEFORE_NAME.fullmatch(text, ce, start):
                kind, start = canon, cs
            elif cs >= end and _CLASS_AFTER_NAME.fullmatch(text, end, cs):
                kind, end = canon, ce
        full = next((c for c in _DATA["carriers"] if name.startswith(c) or c.endswith(name)), None)
        if prefix == "USS" and full:
            name, kind = full, "aircraft carrier"
        out.append((start, end, " ".join(filter(None, [prefix.lower(), name.lower(), kind])), NAMED))
    for cs, ce, canon in classes:  # "the frigate Hamburg", "the destroyer Nanchang"
        after = _NAME_AFTER_CLASS.match(text, ce)
        if not after or text[ce - 1] == "s" or _NOT_SHIP_NAME.match(after.group(1)):
            continue
        if any(s < after.end() and after.start(1) < e for s, e, _, _ in out):
            continue
        out.append((cs, after.end(), f"{after.group(1).lower()} {canon}", NAMED))
    return out


def _codes(text: str, found: _Found, by_start: dict[int, tuple[re.Match[str], list[str]]]) -> _Found:
    """Model codes that a class phrase or a coordinated system names ("ALTIUS-600M-V drones")."""
    out: _Found = []
    for m in word_start_finditer(_CODE_BODY, text) if _DIGIT.search(text) else ():
        if any(s <= m.start() < e for s, e, _, _ in found):
            continue
        hit = by_start.get(m.end())
        if hit:
            out.append((m.start(), hit[0].end(), f"{m.group(1).lower()} {hit[1][0]}", NAMED))
            continue
        code_end = m.start() + len(m.group(1))
        joint = _CODE_AND.match(text, code_end)
        partner = next((c for s, _, c, _ in found if joint and s == joint.end()), None)
        if partner:  # "RIM-7 and Stinger air-defence missiles": the code shares its partner's kind
            out.append((m.start(), code_end, f"{m.group(1).lower()} {partner.rsplit(' ', 1)[-1]}", NAMED))
    return out


def _classes() -> frozenset[str]:
    """Every class a named system ends in ("fighter jet", "air defense system")."""
    out = set()
    for alias, canon in _NAMED.items():
        if canon.startswith(alias.lower() + " "):
            out.add(canon[len(alias) + 1 :])
    return frozenset(out)


_CLASSES = _classes()
# Designations with a digit, lower-cased: the stems that a variant's code extends ("Su-30SM" of "Su-30SME").
_STEMS: dict[str, str] = {
    a.lower(): c
    for a, c in _NAMED.items()
    if _DIGIT.search(a) and c.startswith(a.lower() + " ") and " " not in a
}
_CODE_HINT = re.compile(r"[A-Z][A-Za-z]{0,7}-?\d")
_VARIANT_CODE = re.compile(r"([A-Z][A-Za-z]{0,7}-?\d{1,4}[A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)(?![\w-])")


def _variant(code: str) -> str | None:
    """The canonical name of a variant the gazetteer lacks, by its stem's class: "Su-30SME" ->
    "su-30sme fighter jet" (stem Su-30SM), "T-72B3M" -> "t-72b3m tank"; None if no stem is known."""
    low = code.lower()
    if low.endswith("s") and len(low) > 2 and (low[-2].isdigit() or code[-2].isupper()):
        low = low[:-1]  # "Su-57Es"
    for i in range(len(low) - 1, 1, -1):
        stem = low[:i]
        if stem in _STEMS and not (stem[-1].isdigit() and low[i].isdigit()) and low[i] != "-":
            canon = _STEMS[stem]
            kind = max((k for k in _CLASSES if canon.endswith(" " + k)), key=len, default=None)
            return f"{low} {kind}" if kind else None
    return None


def _variants(text: str, found: _Found, classed: set[int]) -> _Found:
    """Variant codes of known systems that the gazetteer does not list ("Su-30SME fighters"); a code
    before a class phrase (`classed`: where those start) is _codes' ("M109A7 155-mm howitzers")."""
    out: _Found = []
    for m in word_start_finditer(_VARIANT_CODE, text):
        after = len(text) - len(text[m.end() :].lstrip())
        if any(s <= m.start() < e for s, e, _, _ in found) or after in classed:
            continue
        canon = _variant(m.group(1))
        if canon:
            out.append((m.start(), m.end(), canon, NAMED))
    return out


def _find(text: str) -> tuple[_Found, _Found]:
    """(start, end, canonical, kind) for every mention, in text order, in two views: with the models read
    from context (system_models) and without them. The scans (names, class phrases) run once; only a
    sentence with such a model completes the second view apart."""
    named = _specific(text)
    matches = _generics(text)
    generics = [g for g in matches if g[1]]
    read, not_class = (
        read_models(text, [_class_phrase_of(*g) for g in matches], [(s, e) for s, e, _, _ in named])
        if matches
        else ([], set())
    )
    classed = [g for g in generics if g[0].start() not in not_class] if not_class else generics
    if not read:
        found = _complete(text, named, classed)
        return found, found
    models: _Found = [(s, e, canon, MODEL) for s, e, canon in read]
    return _complete(text, named + models, classed), _complete(text, named, generics)


def _complete(text: str, found: _Found, generics: list[tuple[re.Match[str], list[str], int]]) -> _Found:
    """The mentions: the names `found`, variant and model codes, ships, and the class phrases left alone."""
    found = list(found)
    if _CODE_HINT.search(text):  # most sentences' digits are dates and counts, not model codes
        found += _variants(text, found, {m.start() for m, _, _ in generics})
    found += _ships(text, generics, found)
    if generics or found:  # a model code counts only before a class phrase or beside a named system
        found += _codes(text, found, {m.start(): (m, names) for m, names, _ in generics})
    taken = [(s, e) for s, e, _, _ in found]
    for m, names, kind in generics:
        start, end = m.span()
        if _stands_alone(text, start, end, names[0], taken):
            found.extend((start, end, name, kind) for name in names)
    found.sort()
    return found


def _class_phrase_of(m: re.Match[str], names: list[str], _: int) -> ClassPhrase:
    return ClassPhrase(
        m.start(),
        m.end(),
        _HEADS[m.group(5).lower()],
        names[0] if names else None,
        bool(m.group(1) or m.group(3)),
    )


def _generics(text: str) -> list[tuple[re.Match[str], list[str], int]]:
    """(match, canonical names, kind) of each class phrase ("155mm shells"); no names if it names no
    system alone ("systems", "trainers": only after a name, see system_models)."""
    low = text.lower()
    low = low if len(low) == len(text) else text
    heads = _HEAD.starts(low)  # most sentences name no class: one cheap pass settles it
    matches = _phrases(low, max(0, heads[0] - _PREFIX), heads[-1]) if heads else ()
    return [(m, *_generic_name(m)) for m in matches]


def _phrases(low: str, pos: int, last_head: int) -> Iterator[re.Match[str]]:
    """`_GENERIC.finditer(low, pos)`, without scanning past the last class word (every phrase ends in one)."""
    while pos <= last_head and (m := _GENERIC.search(low, pos)):
        yield m
        pos = m.end()


def _stands_alone(text: str, start: int, end: int, first: str, taken: list[tuple[int, int]]) -> bool:
    """Does a class phrase name a system of its own: not part of a name or code, no fuel tank, no depot?"""
    if taken and (
        any(s < end and start < e for s, e in taken)  # overlaps a name or code
        or any(_GAP.fullmatch(text, e, start) for _, e in taken if e <= start)  # belongs to one
    ):
        return False
    return not (
        (first == "tank" and _NOT_WEAPON_BEFORE.search(text, 0, start))
        or (text[start:end] in _REGIMENTS and _NAME_BEFORE.search(text, max(0, start - 30), start))
        or FACILITY.match(text, end)
        or _CIVIL_BEFORE.search(text, max(0, start - 20), start)
    )


def _coordinated(text: str, found: _Found, i: int) -> bool:
    s, e = found[i][0], found[i][1]
    before = i > 0 and _COORD.fullmatch(text, found[i - 1][1], s) is not None
    after = i + 1 < len(found) and _COORD.fullmatch(text, e, found[i + 1][0]) is not None
    return before or after


@per_sentence
def _views(text: str) -> tuple[Mentions, Mentions]:
    """The sentence's mentions with the models read from context, and without them (names_weapon's)."""
    text = text[:MAX_CHARS]
    with_models, plain = _find(text)
    first = _mentions(text, with_models)
    return first, first if plain is with_models else _mentions(text, plain)


def system_mentions(text: str) -> Mentions:
    """(start, end, canonical, kind) of the systems of one sentence, first mention of each name."""
    return _views(text)[0]


def _mentions(text: str, found: _Found) -> Mentions:
    """The mentions `found` without repeats, list-only classes alone, and classes a name already covers."""
    specific = {canon.rsplit(" ", 1)[-1] for _, _, canon, kind in found if kind in (NAMED, MODEL)}
    out: _Found = []
    seen: set[str] = set()
    small_arms = None
    for i, (start, end, found_canon, kind) in enumerate(found):
        generic = kind not in (NAMED, MODEL)
        canon = found_canon
        if canon == "artillery shell" and kind == BARE and text[start] in "rR":  # "477 rounds" beside guns
            if small_arms is None:
                small_arms = _SMALL_ARMS.search(text) is not None
            canon = "ammunition" if small_arms else canon
        if generic and canon in _COORD_ONLY and not _coordinated(text, found, i):
            continue
        if generic and canon.rsplit(" ", 1)[-1] in specific:
            continue
        if canon not in seen:
            seen.add(canon)
            out.append((start, end, canon, kind))
    return tuple(out)


def extract_systems(text: str) -> tuple[str, ...]:
    """Canonical system names mentioned in one sentence, in order, without duplicates."""
    return tuple(canon for _, _, canon, _ in system_mentions(text))


# words whose "rounds" in the same sentence are cartridges, not shells ("nine guns and 477 rounds")
_SMALL_ARMS = re.compile(r"\b(?:" + trie_alternation(_DATA["small_arms"]) + r")s?\b", re.I)
_NO_EVIDENCE = frozenset(_DATA["no_transfer_evidence"])  # classes that never make a transfer military
_NO_TRANSFER_CUE = frozenset(_DATA["no_transfer_cue"])


def names_weapon(text: str) -> bool:
    """Does the sentence name a weapon that makes a transfer military (not a bare "destroyer" or "jets")?"""
    found = _views(text)[
        1
    ]  # without the models read from context: the evidence stays what the gazetteer knows
    return any(
        kind == NAMED
        or ((kind != BARE or canon not in _NO_TRANSFER_CUE) and canon.rsplit(" ", 1)[-1] not in _NO_EVIDENCE)
        for _, _, canon, kind in found
    )


# who makes a system makes what it fires: "patriot missile" is American as the Patriot is
_ORIGIN: dict[str, str] = {
    **{
        fired: n["origin"]
        for n in _DATA["named"]
        for word in (*_AMMO, *_INTERCEPTORS)
        if (fired := _what_it_fires(n["canonical"], [word]))
    },
    **{n["canonical"]: n["origin"] for n in _DATA["named"]},
}


def system_origin(canonical: str) -> str | None:
    """The party that makes a named system (a weak hint at who supplies or deploys it)."""
    return _ORIGIN.get(canonical)


def named_system_at(text: str, pos: int) -> str | None:
    """The canonical name of a named system starting at `pos` (after blanks), if any."""
    while pos < len(text) and text[pos] == " ":
        pos += 1
    m = _NAMED_RE.match(text, pos)
    return _NAMED[m.group(1)] if m else None
