"""Who a claim is attributed to: "X said", "according to X", "X told Reuters", ", citing Y".

The attribution spans are also what the actor finder must ignore: the party that
reports an event ("South Korea's JCS said ...") is rarely the party that acts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from streams.classify.extract.parties import mentions
from streams.classify.text.gazetteer import load, trie_alternation
from streams.classify.text.memo import per_sentence

MAX_CHARS = 4000  # a longer "sentence" is not prose; bound the work on adversarial input

_DATA = load("sources.json")
_OUTLETS: frozenset[str] = frozenset(_DATA["outlets"])
_CANONICAL: dict[str, str] = _DATA["canonical"]
_LOWER: frozenset[str] = frozenset(_DATA["lowercase_heads"])
_STRIP_ADJ = re.compile(r"\b(?:" + trie_alternation(_DATA["strip_adjectives"]) + r")\s+")
_VERB = trie_alternation(_DATA["verbs"])
_DEMONYM_BODIES = frozenset(_DATA["demonym_bodies"])
_NOUN_CUE_AFTER = frozenset(_DATA["noun_cue_after"])  # "The move follows reports that": a noun, no speaker
_SUFFIXES = tuple(" " + suffix for suffix in _DATA["strip_suffixes"])
_DEMONYM: dict[str, str] = {
    c["name"]: c["demonyms"][0] for c in load("parties.json")["countries"] if c["demonyms"]
}

# A trie: the lookahead runs before every token; a plain alternation would try each word in turn.
_STOP = trie_alternation((
    "is", "are", "was", "were", "be", "been", "being", "will", "would", "could", "can", "may", "might",
    "should", "must", "to", "that", "which", "who", "whom", "whose", "when", "where", "if", "than", "has",
    "have", "had", "did", "do", "does", "not", "also", "after", "before", "because", "since", "including",
))  # fmt: skip
_TOK = r"(?!(?:" + _STOP + r")\b)[\w.'&/()\-]{1,40}"
_WORD = _TOK + "+"  # a token always followed by a space: possessive, giving back characters cannot help
_AUX = (
    r"(?:(?:has|have|had|also|still|officially|publicly|previously|later|never|repeatedly|reportedly"
    r"|does not|do not|did not)\s+){0,3}"
)
_DET = r"(?:(?:the|The|a|A|an|An|Some|some)\s+)?"
_SPEAKER_CLAUSE = (
    r"(?P<np>" + _DET + r"(?:" + _WORD + r"\s+){1,10}?)" + _AUX + r"(?:" + _VERB + r")\b"
    r"(?!\s+tank)(?:\s+(?P<told>(?:The\s+)?[A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*){0,3}(?:\s+(?:radio|television|TV))?))?"
)
# A speaker opens the sentence or follows a punctuation mark. Two regexes, not "(?:^|[,;:...])",
# and each mark its own literal branch, not "[,;:]": so `re` skips straight to the marks
# instead of trying the whole clause at every position.
_SPEAKER_FIRST = re.compile(_SPEAKER_CLAUSE)
_SPEAKER = re.compile(r"(?:,\s*|;\s*|:\s*|\"\s*|\u2014\s*|-\s+)" + _SPEAKER_CLAUSE)
# Every speaker clause has a space before its verb: led by "\s", `re` tries only the spaces.
_ANY_VERB = re.compile(r"\s(?:" + _VERB + r")\b")
_WORDS = r"[\w.'&/()\-]{1,40}(?:\s+[\w.'&/()\-]{1,40}){0,11}?"  # one split per word: no backtracking blow-up
_INVERTED = re.compile(r"[,\"]\s*said\s+(?P<np>" + _WORDS + r")\s*[.!?]?\s*$")
_ACCORDING = re.compile(
    r"\b[Aa]ccording to\s+(?P<np>(?:a report (?:obtained )?by\s+)?" + _WORDS + r")\s*(?=[,;:]|\.?\s*$|\.\s)"
)
_CITING = re.compile(
    r"(?:\s+(?:on|in)\s+[^,]{1,25}?)?,?\s*citing\s+(?P<np>" + _TOK + r"(?:\s+" + _TOK + r"){0,9}?)"
    r"\s*(?=[,.;:]|\s+on\s|\s+in\s|$)"
)
_CITING_LEAD = re.compile(r"^Citing\s+(?P<np>[^,]{1,80}),")
_LEADING_JUNK = re.compile(
    r"^(?:(?:though|although|but|while|with|and|as|so|yet|the|The|a|A|an|An|Some|some)\s+)+"
)
_POSSESSIVE = re.compile(r"^(?P<owner>[A-Z][\w.\- ]*?)'s\s+(?P<body>[a-z][a-z ]*)$")
_CLAIMED = r"'s\s+(?:warning|assessment|prediction|estimate|forecast)\s+that\b"
_CLAIM = re.compile(r"(?:^|[,;:\"]\s*)(?P<np>(?:" + _TOK + r"\s+){0,4}?" + _TOK + r")" + _CLAIMED)
_CLAIM_CUE = re.compile(_CLAIMED)  # literal-first, so cheap: the costly _CLAIM runs only where it can match
_PAREN = re.compile(r"\s*\([^()]{1,12}\)")
_AT_BODY = re.compile(
    r"^(?:analysts|experts|researchers|officials|specialists)\s+(?:at|from|with)\s+(?:the\s+)?(.+)$"
)
_PRONOUN = frozenset({"he", "she", "they", "it", "we", "i", "you", "another", "this", "which", "who", "one"})
_NOT_TOLD = frozenset({"Congress", "Parliament", "The", "Senate"})


@dataclass(frozen=True, slots=True)
class _Cand:
    name: str
    outlet: bool
    citing: str | None
    via: str | None


def _clean(np: str) -> str:
    np = np.strip(" ,\"'")
    if "(" in np:
        np = _PAREN.sub("", np)
    np = np.rstrip(".")
    np = _STRIP_ADJ.sub("", _LEADING_JUNK.sub("", np)).strip()
    at = _AT_BODY.match(np)
    if at:
        np = at.group(1)
    np = _CANONICAL.get(np, np)
    if np.startswith("a report ") and " by " in np:
        np = np.split(" by ", 1)[1]
    for suffix in _SUFFIXES:
        if np.endswith(suffix):
            np = np[: -len(suffix)]
    owned = _POSSESSIVE.match(np) if "'s" in np else None
    if owned and owned.group("body") in _DEMONYM_BODIES:
        owner = owned.group("owner")
        np = f"{_DEMONYM.get(owner, owner)} {owned.group('body')}"
    first, _, rest = np.partition(" ")
    nxt = rest.split(" ", 1)[0]
    if (
        first.lower() in _LOWER
        and first[:1].isupper()
        and first.upper() != first
        and (not nxt or "." in nxt or nxt.islower())
    ):
        np = first.lower() + (" " + rest if rest else "")
    return np


def _citing_after(text: str, pos: int, spans: list[tuple[int, int]]) -> str | None:
    m = _CITING.match(text, pos) if "citing" in text else None
    if not m:
        return None
    spans.append(m.span("np"))
    return _clean(m.group("np"))


def _speakers(text: str) -> list[re.Match[str]]:
    """The "X said" clauses of `text`, in order, as one finditer of "(?:^|[,;:...])X said" would give."""
    first = _SPEAKER_FIRST.match(text)
    if first is None:
        return list(_SPEAKER.finditer(text))
    return [first, *_SPEAKER.finditer(text, first.end())]


@per_sentence
def _candidates(text: str) -> tuple[tuple[_Cand, ...], tuple[tuple[int, int], ...]]:
    """Who the sentence says reports its claim, and the spans naming them, both in the order found."""
    cands: list[_Cand] = []
    spans: list[tuple[int, int]] = []
    lead = _CITING_LEAD.match(text)
    if lead:
        spans.append(lead.span(1))
    if _ANY_VERB.search(text):  # the cheap search rules most out
        _add_speakers(text, lead, cands, spans)
    if "ccording to" in text:
        _add_according(text, cands, spans)
    if "'s " in text and _CLAIM_CUE.search(text):
        for m in _CLAIM.finditer(text):
            cands.append(_Cand(_clean(m.group("np")), False, None, None))
            spans.append(m.span("np"))
    inv = _INVERTED.search(text) if "said" in text else None
    if inv:
        cands.append(_Cand(_clean(inv.group("np")), False, None, None))
        spans.append(inv.span("np"))
    return tuple(cands), tuple(spans)


def _add_speakers(
    text: str, lead: re.Match[str] | None, cands: list[_Cand], spans: list[tuple[int, int]]
) -> None:
    """The "X said" clauses; a pronoun ("he said") only marks its span, a noun ("reports that") no speaker."""
    lead_citing = _clean(lead.group(1)) if lead else None
    for m in _speakers(text):
        name = _clean(m.group("np"))
        if name and name.rsplit(" ", 1)[-1].lower() in _NOUN_CUE_AFTER:
            continue
        if not name or name.lower() in _PRONOUN:
            spans.append(m.span("np"))
            continue
        near_lead = lead is not None and m.start() <= lead.end() + 2
        _add_speaker(text, m, name, lead_citing if near_lead else None, cands=cands, spans=spans)


def _add_speaker(
    text: str,
    m: re.Match[str],
    name: str,
    lead_citing: str | None,
    *,
    cands: list[_Cand],
    spans: list[tuple[int, int]],
) -> None:
    """One speaker, with whom it cites (after it, else a leading "Citing X,") and the outlet it told."""
    told = m.group("told")
    via = _clean(told) if told and told in _OUTLETS and told not in _NOT_TOLD else None
    citing = _citing_after(text, m.end(), spans) or lead_citing
    cands.append(_Cand(name, name in _OUTLETS, citing, via))
    spans.append(m.span("np"))
    if via and told:
        spans.append(m.span("told"))


def _add_according(text: str, cands: list[_Cand], spans: list[tuple[int, int]]) -> None:
    """The "according to X" clauses, with whom X cites."""
    for m in _ACCORDING.finditer(text):
        name = _clean(m.group("np"))
        if name:
            cands.append(_Cand(name, name in _OUTLETS, _citing_after(text, m.end(), spans), None))
            spans.append(m.span("np"))


def _pick(cands: tuple[_Cand, ...]) -> str | None:
    if not cands:
        return None
    for c in cands:
        if c.citing:
            return f"{c.name}, citing {c.citing}"
    speakers = [c for c in cands if not c.outlet]
    outlets = [c.name for c in cands if c.outlet] + [c.via for c in cands if c.via]
    if speakers:
        best = speakers[-1]
        via = best.via or next((o for o in outlets if o != best.name), None)
        return f"{best.name}, via {via}" if via else best.name
    return outlets[0] if outlets else None


def extract_source(text: str) -> str | None:
    """The attribution of the sentence's claim, as the labels write it, or None."""
    return _pick(_candidates(text[:MAX_CHARS])[0])


def attribution_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Character spans of the sentence that name who reports (not who acts)."""
    return _candidates(text[:MAX_CHARS])[1]


def source_party(text: str) -> str | None:
    """The first party named in the sentence's attribution ("the General Staff said" names none)."""
    for s, e in attribution_spans(text):
        for m in mentions(text[s:e]):
            if m.party:
                return m.party
    return None
