"""The core's output types: plain frozen dataclasses, cheap to build and to serialise.

They are the contract between the pure classifier and the stream shell; their
field names follow ../shared/spec/taxonomy.md and schemas/event.schema.json.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Category = Literal["deployment", "supply", "casualty", "forecast"]
Status = Literal["reported", "planned", "possible", "expected", "denied"]
Scope = Literal["incident", "cumulative"]  # one occurrence, or a running total / standing presence / history

CATEGORIES: tuple[Category, ...] = ("deployment", "supply", "casualty", "forecast")
STATUSES: tuple[Status, ...] = ("reported", "planned", "possible", "expected", "denied")
SCOPES: tuple[Scope, ...] = ("incident", "cumulative")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number as the text gives it; vague words are coded conservatively (approx)."""

    value: float
    unit: str | None
    approx: bool
    text: str
    low: float | None = None
    high: float | None = None

    def to_dict(self) -> dict[str, Any]:
        value: int | float = int(self.value) if float(self.value).is_integer() else self.value
        out: dict[str, Any] = {"value": value, "unit": self.unit, "approx": self.approx, "text": self.text}
        if self.low is not None:
            out["low"] = self.low
        if self.high is not None:
            out["high"] = self.high
        return out


@dataclass(frozen=True, slots=True)
class When:
    """A time expression as written, and the ISO date it resolves to when it can."""

    text: str
    date: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "date": self.date}


@dataclass(frozen=True, slots=True)
class Evidence:
    """The sentence that carries the claim; start/end index the body as given."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Event:
    """One claim of one category made in one sentence."""

    category: Category
    status: Status
    evidence: Evidence
    actor: str | None = None
    counterpart: str | None = None
    systems: tuple[str, ...] = ()
    quantity: Quantity | None = None
    location: str | None = None
    when: When | None = None
    source: str | None = None
    confidence: float = 0.5
    scope: Scope = "incident"

    def to_dict(self) -> dict[str, Any]:
        """The event's fields as the event schema names them (without ids)."""
        return {
            "category": self.category,
            "status": self.status,
            "scope": self.scope,
            "actor": self.actor,
            "counterpart": self.counterpart,
            "systems": list(self.systems),
            "quantity": self.quantity.to_dict() if self.quantity else None,
            "location": self.location,
            "when": self.when.to_dict() if self.when else None,
            "source": self.source,
            "evidence": self.evidence.to_dict(),
            "confidence": round(self.confidence, 3),
        }
