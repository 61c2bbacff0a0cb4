"""Forecasts: someone's prediction or warning about what will or may happen militarily.

A forecast needs a forward-looking cue (a prediction verb, a modal with a base
verb, "likely to", "risks", a conditional future) in a sentence with military
content and no non-military guard (weather, markets, sport). Modals that only
estimate a present or past state ("could hold", "may have") are not forecasts.
"""

from __future__ import annotations

from collections.abc import Sequence

from streams.classify.model import Status
from streams.classify.text.lexicon import Hit

_CONTENT = frozenset({"force", "asset", "dual", "materiel", "conflict"})
_STRONG_EXPECT = frozenset(
    {"predict", "predicts", "predicted", "prediction", "forecast", "forecasts", "forecasted"}
)
_EXPECT = frozenset(
    {"expect", "expects", "expected", "expecting", "anticipate", "anticipates", "anticipated"}
)


def forecast_cue(hits: Sequence[Hit], tags: frozenset[str]) -> Hit | None:
    """The cue that makes the sentence a forecast, or None."""
    if "guard_fc" in tags or "neg_all" in tags or not tags & _CONTENT:
        return None
    for h in hits:
        t = h.tags
        if t & {"fc_verb", "fc_likely", "fc_possible"}:
            return h
        if "fc_modal" in t and "guard_modal" not in t:
            return h
        if "fc_prepare" in t and "assessor" in tags:
            return h
        if "fc_will" in t and "cond" in tags:
            return h
    return None


def forecast_status(hits: Sequence[Hit]) -> Status:
    """expected for predictions and likelihoods, possible for could/may/might and risks."""
    terms = {h.term for h in hits}
    tags: set[str] = set()
    for h in hits:
        tags |= h.tags
    if terms & (_STRONG_EXPECT | _EXPECT) or "fc_likely" in tags:
        return "expected"
    if tags & {"fc_possible", "cond"} or any(
        "fc_modal" in h.tags and "guard_modal" not in h.tags for h in hits
    ):
        return "possible"
    if terms & {"doubted", "doubts"}:
        return "possible"
    return "expected"
