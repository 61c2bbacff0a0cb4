"""Topic names, with the configured prefix: the one place that spells them."""

from __future__ import annotations

from dataclasses import dataclass

from streams.classify import CATEGORIES, Category


@dataclass(frozen=True, slots=True)
class TopicNames:
    """Every topic the worker reads or writes."""

    prefix: str = ""

    @property
    def raw(self) -> str:
        return f"{self.prefix}articles.raw"

    @property
    def enriched(self) -> str:
        return f"{self.prefix}articles.enriched"

    @property
    def deadletter(self) -> str:
        return f"{self.prefix}articles.deadletter"

    @property
    def claims(self) -> str:
        """Internal: events keyed by claim id, on their way to the claims stage."""
        return f"{self.prefix}sitrep.claims"

    @property
    def alerts(self) -> str:
        return f"{self.prefix}alerts"

    def events(self, category: Category) -> str:
        return f"{self.prefix}events.{category}"

    def outputs(self) -> list[str]:
        return [
            self.enriched,
            self.deadletter,
            self.claims,
            *(self.events(c) for c in CATEGORIES),
            self.alerts,
        ]

    def all(self) -> list[str]:
        return [self.raw, *self.outputs()]
