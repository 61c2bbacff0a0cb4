"""The classifier: article body in, events out. Pure, deterministic, no I/O after import.

One pass: normalise (offsets preserved), scan the lexicon over the whole text
(one Aho-Corasick pass), split sentences, then per sentence find category triggers
and their status; only sentences that carry an event pay for the field extractors,
which share one analysis per sentence (streams/classify/text/memo.py). Identical
sentences (repeated headlines, captions) yield their events once. The article's
earlier actors fill implicit ones (extract/actors.Context), its dateline the country of unnamed
forces (extract/dateline.py); its earlier systems resolve
"the missiles" (extract/event_systems.py).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from streams.classify.detect.categories import TRIGGER_TAGS, Trigger, find_triggers
from streams.classify.detect.features import Tokens
from streams.classify.detect.forecast import forecast_cue, forecast_status
from streams.classify.detect.learned import DETECTOR, Detector, guarded
from streams.classify.detect.scope import scoped
from streams.classify.detect.status import fallback_status, trigger_status
from streams.classify.detect.status_model import MODEL as STATUS_MODEL
from streams.classify.detect.status_model import StatusModel, with_status
from streams.classify.extract.actor_choice import MODEL as ACTOR_MODEL
from streams.classify.extract.actor_choice import (
    Chooser,
    Earlier,
    SentenceSources,
    event_sources,
    sentence_sources,
)
from streams.classify.extract.actors import Context, find_parties
from streams.classify.extract.dateline import dateline_country
from streams.classify.extract.event_systems import event_systems, resolve
from streams.classify.extract.locations import extract_location
from streams.classify.extract.quantities import extract_quantity
from streams.classify.extract.sources import extract_source
from streams.classify.extract.systems import names_weapon, system_mentions
from streams.classify.extract.when import extract_when
from streams.classify.model import CATEGORIES, Category, Event, Evidence, Status
from streams.classify.resources import data_digest, read_json
from streams.classify.text.lexicon import ARMED, MATERIEL, Hit, scan, sentence_tags
from streams.classify.text.normalize import is_chrome, lower_same_length, normalize
from streams.classify.text.segment import split_sentences

# The code's version and the digest of the data it reads (lexicon, gazetteers, the detector's weights):
# a change to the data alone is a new version, so replayed output tells which data made it.
CLASSIFIER_VERSION = f"0.4.0+{data_digest()[:12]}"
SUPPORTED_LANGUAGES = frozenset({"en"})  # ISO 639-1: the lexicons, cues and detector are English
MAX_SENTENCE = 4000  # longer "sentences" are not prose: skip them, bounding the work on junk input

_CONFIDENCE: dict[str, float] = {k: float(v) for k, v in read_json("confidence.json").items() if k[0] != "_"}
_SUPPLY_CUES = frozenset({"sup_move", "sup_strong"})
_NAME_PRONE = frozenset({"support", "supports"})  # "Rapid Support Forces" is a name
_ACCUSATION = re.compile(r"\b(?:accusations?|allegations?|claims?|charges?|reports?)\b")
# "the ministry said the country was not providing arms": a party denying its own act
_SELF_DENIAL = re.compile(
    r"\b(?:said|says|insisted|insists|stated)(?: that)? "
    r"(?:it|the country|the government|they|the group|he|she) "
    r"(?:was|were|is|are|had|has|have|did|does|do|would) (?:not|never)\b"
)
_MONTH_MAY = frozenset({"may", "may also", "may soon"})


def _published(published_at: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(published_at[:10]) if published_at else None
    except ValueError:
        return None


def _is_headline(sentence: str) -> bool:
    """Headlines (and bare captions) have no final punctuation."""
    return not sentence.rstrip("\"')").endswith((".", "!", "?"))


def _sentence_hits(hits: Sequence[Hit], text: str, start: int, headline: bool) -> list[Hit]:
    """Drop capitalised names that look like cues: "May" the month, "Rapid Support Forces"."""
    out = []
    for h in hits:
        name = h.term in _MONTH_MAY or (h.term in _NAME_PRONE and not headline)
        if not (name and h.start != start and text[h.start].isupper()):
            out.append(h)
    return out


def _detect(
    hits: list[Hit],
    sentence: str,
    sentence_low: str,
    low: str,
    previous: tuple[Category, ...],
    *,
    tags: frozenset[str],
    text: str,
    headline: bool,
    article_military: bool,
) -> list[tuple[Category, Status, str]]:
    """(category, status, rule) for each category the sentence carries; `tags`: its hits' tags."""
    denied = "st_denied" in tags
    if "neg_all" in tags and not denied:
        return []
    negative = "not" in sentence_low or "never" in sentence_low
    if not negative and tags.isdisjoint(_CUES):
        return []  # most sentences name forces or weapons without any trigger: done
    self_denial = negative and _SELF_DENIAL.search(sentence_low) is not None
    denied = denied or self_denial
    has_systems = _names_weapon(tags, sentence)
    triggers = find_triggers(hits, tags, has_systems, article_military, self_denial=self_denial, text=text)
    found = _trigger_events(triggers, hits, low, headline, denied)
    if denied and not found and _ACCUSATION.search(sentence_low):
        found = {c: ("denied", "denied.context") for c in previous if c != "forecast"}
    forecast = None if denied else _forecast_event(hits, tags)
    if forecast is not None:
        found["forecast"] = forecast
    return [(c, s, r) for c, (s, r) in found.items()]


def _names_weapon(tags: frozenset[str], sentence: str) -> bool:
    """Does a named weapon make this transfer or deployment military?

    It makes a transfer military, and a deployment that names nothing else military
    ("deployed the Patriot system"); a bare "system" does not ("deployed a payroll system").
    """
    wants_systems = (tags & _SUPPLY_CUES and not tags & MATERIEL) or (
        "dep_strong" in tags and not tags & ARMED
    )
    return bool(wants_systems and names_weapon(sentence))


def _trigger_events(
    triggers: Sequence[Trigger], hits: list[Hit], low: str, headline: bool, denied: bool
) -> dict[Category, tuple[Status, str]]:
    """(status, rule) of each category's first trigger; a denying sentence denies them all."""
    found: dict[Category, tuple[Status, str]] = {}
    for trigger in triggers:
        if trigger.category not in found:
            status: Status = (
                "denied" if denied else trigger_status(hits, trigger.hit, low, headline, trigger.category)
            )
            found[trigger.category] = (status, trigger.rule)
    return found


def _forecast_event(hits: list[Hit], tags: frozenset[str]) -> tuple[Status, str] | None:
    """(status, rule) of the forecast the sentence's cues make, or None."""
    cue = forecast_cue(hits, tags) if tags & _FC_TAGS else None
    if cue is None:
        return None
    return forecast_status(hits), "fc." + sorted(cue.tags & _FC_TAGS)[0]


_FC_TAGS = frozenset({"fc_verb", "fc_likely", "fc_possible", "fc_modal", "fc_prepare", "fc_will"})
_CUES = TRIGGER_TAGS | _FC_TAGS | {"st_denied"}


def _own_plan(source: str | None, actor: str | None) -> bool:
    """Is the predictor the actor itself (a party's own plan, not a forecast)?"""
    if not source or not actor:
        return False
    return find_parties(source, "forecast", None)[0] == actor


class TooManySentencesError(ValueError):
    """The article has more sentences than the caller allows (raised before any is classified)."""

    def __init__(self, count: int, limit: int) -> None:
        super().__init__(f"{count} sentences, over {limit}")
        self.count = count
        self.limit = limit


@dataclass
class Candidate:
    """A sentence the detector reads (every sentence of a sane length), and what the rules found in it."""

    index: int  # the sentence's position in the article
    start: int
    end: int
    sentence: str
    headline: bool
    hits: list[Hit]
    tags: frozenset[str]
    found: list[tuple[Category, Status, str]]


@dataclass
class Prepared:
    text: str
    low: str
    candidates: list[Candidate]
    sentences: list[tuple[int, int]]  # every sentence's span, candidates or not

    def before(self) -> list[tuple[int, int]]:
        """The span of the sentence before each candidate (empty for an article's first)."""
        return [self.sentences[c.index - 1] if c.index else (c.start, c.start) for c in self.candidates]


def prepare(body: str, *, max_sentences: int = 0) -> Prepared:
    """Normalise, scan and segment; run the rules on every sentence (one with no lexicon hit finds none)."""
    text = normalize(body)
    sentences = split_sentences(text)
    if max_sentences and len(sentences) > max_sentences:
        raise TooManySentencesError(len(sentences), max_sentences)
    low = lower_same_length(text)
    hits = scan(low)
    article_military = any(h.tags & ARMED for h in hits)
    candidates: list[Candidate] = []
    seen: set[str] = set()
    previous: tuple[Category, ...] = ()
    k = 0
    for index, (start, end) in enumerate(sentences):
        first = k
        while k < len(hits) and hits[k].start < end:
            k += 1
        if end - start > MAX_SENTENCE:
            continue
        sentence = text[start:end]
        if sentence in seen:
            continue
        seen.add(sentence)
        headline = _is_headline(sentence)
        if first == k:  # no lexicon term: the rules find nothing here, only the detector reads it
            candidates.append(Candidate(index, start, end, sentence, headline, [], frozenset(), []))
            continue
        sentence_hits = _sentence_hits(hits[first:k], text, start, headline)
        tags = sentence_tags(sentence_hits)
        found = _detect(
            sentence_hits,
            sentence,
            low[start:end],
            low,
            previous,
            tags=tags,
            text=text,
            headline=headline,
            article_military=article_military,
        )
        if found and is_chrome(sentence):
            continue
        if found:
            previous = tuple(c for c, _, _ in found)
        candidates.append(Candidate(index, start, end, sentence, headline, sentence_hits, tags, found))
    return Prepared(text, low, candidates, sentences)


def cues(candidates: Sequence[Candidate], previous: bool) -> list[list[str]]:
    """The rules' cues of each candidate as named features (and its previous sentence's)."""
    out: list[list[str]] = []
    before: Candidate | None = None
    for cand in candidates:
        names = ["t:" + t for t in cand.tags]
        names += ["r:" + c for c, _, _ in cand.found]
        if previous and before is not None and before.index == cand.index - 1:
            names += ["p:t:" + t for t in before.tags]
            names += ["p:r:" + c for c, _, _ in before.found]
        out.append(names)
        before = cand
    return out


def _decide(
    cand: Candidate, logits: Sequence[float] | None, detector: Detector | None, low: str
) -> list[tuple[Category, Status, float]]:
    """(category, status, confidence) of the sentence: the rules, then the detector's verdict."""
    if detector is None or logits is None:
        return [(c, s, _CONFIDENCE.get(r, _CONFIDENCE["default"])) for c, s, r in cand.found]
    if not cand.found and max(logits) < detector.lowest_keep:
        return []  # most sentences: nothing fired, nothing the model would add
    rules = {c: s for c, s, _ in cand.found}
    guards: tuple[bool, ...] | None = None  # read only when the model would add a category
    out: list[tuple[Category, Status, float]] = []
    for j, category in enumerate(CATEGORIES):
        logit = logits[j]
        rule = category in rules
        # a denial stands as the rules found it: the corpus has too few for the model to judge them
        vetoed = rule and rules[category] != "denied" and logit < detector.veto_logit[j]
        if not detector.use_rules:
            keep = logit >= detector.keep_logit[j]
        elif rule:
            keep = not vetoed
        else:  # the model adds a category unless the rules' vetoes forbid it
            keep = logit >= detector.keep_logit[j]
            if keep:
                guards = guards if guards is not None else guarded(cand.tags)
                keep = not guards[j]
        if keep:
            status = (
                rules[category]
                if rule
                else fallback_status(
                    cand.hits, cand.tags, category, low, headline=cand.headline, end=cand.end
                )
            )
            out.append((category, status, detector.confidence(j, logit, rule)))
    if out and not cand.found and is_chrome(cand.sentence):
        return []
    return out


def _chosen(
    sentence: str,
    events: list[Event],
    model: Chooser,
    context: Context,
    *,
    earlier: dict[str, set[int]],
    home: str | None,
) -> list[Event]:
    """The events of `sentence` (normalised) with the chooser's actor (extract/actor_choice.py), a
    denial's kept; a counterpart equal to the new actor is dropped."""
    out = []
    part: SentenceSources | None = None  # the sentence's part of the candidates, once for all its events
    for e in events:
        actor, counterpart = e.actor, e.counterpart
        if e.status != "denied":
            part = part or sentence_sources(sentence)
            cands = event_sources(
                part,
                e.category,
                systems=e.systems,
                rule=e.actor,
                context_actor=context.actor_for(e.category),
                seen=context.seen,
                earlier=earlier,
                home=home,
            )
            actor = model.choose(e.category, cands)
            claimed = part.claimant if e.category == "casualty" else None
            if e.category == "casualty" and actor is not None and actor == counterpart:
                # the side the rules read as striking does not become the one that suffers
                actor = e.actor if e.actor != claimed else None
            if claimed is not None and claimed not in (counterpart, actor):
                counterpart = claimed  # the claimant struck: the toll's other side
        if actor != e.actor and (counterpart == actor or (counterpart is None and e.category != "casualty")):
            counterpart = e.actor  # the rules' actor is the other side: "Peru ordered Rafales"
        same = actor == e.actor and counterpart == e.counterpart
        out.append(e if same else replace(e, actor=actor, counterpart=counterpart))
    return out


def classify(
    body: str,
    published_at: str | None = None,
    *,
    max_sentences: int = 0,
    detector: Detector | None = DETECTOR,
    status_model: StatusModel | None = STATUS_MODEL,
    actor_model: Chooser | None = ACTOR_MODEL,
) -> list[Event]:
    """The events of one article; evidence offsets index `body` as given.

    `max_sentences` (0: no limit) refuses oversized articles with TooManySentencesError.
    `detector` None classifies by the rules alone; `status_model` None keeps the rules' status,
    `actor_model` None the rules' actor.
    """
    prepared = prepare(body, max_sentences=max_sentences)
    text, low, candidates = prepared.text, prepared.low, prepared.candidates
    logits = None
    tokens = Tokens(low)  # each sentence's words hashed once: the detector's blocks and scope share them
    if detector is not None and candidates:
        names = cues(candidates, detector.previous) if detector.rule_cues else [[] for _ in candidates]
        before = prepared.before() if detector.context or detector.embed_context else []
        spans = [(c.start, c.end) for c in candidates]
        scores = detector.logits(low, spans, names, before, tokens=tokens)
        if detector.dense is not None:
            scores += detector.embedded(text, spans, before)
        logits = scores.tolist()
    published = _published(published_at)
    events: list[Event] = []
    context = Context()
    home = dateline_country(text) if candidates else None
    earlier = Earlier() if actor_model is not None else None
    for i, cand in enumerate(candidates):
        found = _decide(cand, logits[i] if logits is not None else None, detector, low)
        if not found:
            continue
        start, end, sentence = cand.start, cand.end, cand.sentence
        mentioned = resolve(sentence, system_mentions(sentence), text, start)
        with_supply = any(c == "supply" for c, _, _ in found)
        when = extract_when(sentence, published)
        source = extract_source(sentence)
        evidence = Evidence(body[start:end], start, end)
        sentence_events: list[Event] = []
        for category, status, confidence in found:
            actor, counterpart = find_parties(
                sentence, category, context.actor_for(category), context.seen, home
            )
            if status != "denied":  # a denial names only what it denies
                counterpart = context.counterpart_for(category, actor, counterpart, sentence)
            sentence_events.append(
                Event(
                    category=category,
                    status=status,
                    evidence=evidence,
                    actor=actor,
                    counterpart=counterpart,
                    systems=event_systems(sentence, mentioned, category, with_supply),
                    quantity=extract_quantity(sentence, category),
                    location=extract_location(sentence, category),
                    when=when,
                    source=source,
                    confidence=confidence,
                )
            )
        actors = {e.actor for e in sentence_events if e.category != "forecast"}
        kept = [
            e
            for e in sentence_events
            if not (e.category == "forecast" and e.actor in actors and _own_plan(source, e.actor))
        ]
        if earlier is not None and actor_model is not None:
            kept = _chosen(
                sentence, kept, actor_model, context, earlier=earlier.before(cand.index), home=home
            )
            earlier.add(cand.index, sentence)
        events.extend(kept)
        for e in sentence_events:  # the context follows the rules' actors, as the chooser was trained
            context.update(e.category, e.actor, e.counterpart)
    return scoped(with_status(events, low, status_model, tokens), low, tokens=tokens)
