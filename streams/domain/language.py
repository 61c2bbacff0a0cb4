"""Which language an article is in, so that only what the classifier reads is classified.

py3langid (naive Bayes over byte n-grams, its model inside the wheel, no network) restricted to
the languages of languages.txt, on a prefix of the body: 0.15-0.2 ms an article, under a fifth
of the classify time (bench/classify.py; README, "Languages"); its cost is walking the prefix.
The raw article's own `language` is checked, not trusted: feeds label by site, not by article,
and a wrong "en" is the failure to avoid.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

from streams.classify import SUPPORTED_LANGUAGES

PREFIX_CHARS = 200  # as accurate on the corpus as 400 or the whole body; the cost grows with it
# Below this, a non-English guess counts as English (classified, as before): short English lines
# full of foreign names win by as little as 0.53 ("Some 500,000 Rohingya remain in Rakhine.") or
# lose to French at 0.51 ("Calm returns to Nouméa as French reinforcements land"); German, French,
# Russian and Arabic headlines score 0.65 and more.
MIN_CONFIDENCE = 0.6
FALLBACK = "en"


class SkipReason:
    """Why an article is enriched without being classified (the `skipped` field); stable."""

    UNSUPPORTED_LANGUAGE = "unsupported_language"


def skip_reasons() -> list[str]:
    return [value for name, value in vars(SkipReason).items() if name.isupper() and isinstance(value, str)]


@cache
def detectable_languages() -> tuple[str, ...]:
    """The codes of languages.txt, in its order."""
    text = files(__package__).joinpath("languages.txt").read_text(encoding="utf-8")
    return tuple(code for line in text.splitlines() if (code := line.split("#")[0].strip()))


@cache
def _identifier() -> Any:
    """Loaded once (about half a second: the model is xz-compressed); warm() does it at start-up."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(detectable_languages()))
    return identifier


def warm() -> None:
    """Load the model now, so that the first article does not wait for it."""
    _identifier()


def detect_language(text: str) -> str:
    """The ISO 639-1 code of `text`'s language; English when no other language is likely enough."""
    code, probability = _identifier().classify(text[:PREFIX_CHARS])
    return str(code) if probability >= MIN_CONFIDENCE else FALLBACK


def skip_reason(language: str) -> str | None:
    """None when the classifier reads `language`, else why the article is not classified."""
    return None if language in SUPPORTED_LANGUAGES else SkipReason.UNSUPPORTED_LANGUAGE
