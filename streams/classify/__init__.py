"""The pure core: article text in, typed events out. No Kafka, Faust or I/O here."""

from streams.classify.model import (
    CATEGORIES,
    SCOPES,
    STATUSES,
    Category,
    Event,
    Evidence,
    Quantity,
    Scope,
    Status,
    When,
)
from streams.classify.pipeline import (
    CLASSIFIER_VERSION,
    SUPPORTED_LANGUAGES,
    TooManySentencesError,
    classify,
)

__all__ = [
    "CATEGORIES",
    "CLASSIFIER_VERSION",
    "SCOPES",
    "STATUSES",
    "SUPPORTED_LANGUAGES",
    "Category",
    "Event",
    "Evidence",
    "Quantity",
    "Scope",
    "Status",
    "TooManySentencesError",
    "When",
    "classify",
]
