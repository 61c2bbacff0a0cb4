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

    def events(self, category: Category) -> str:
        return f"{self.prefix}events.{category}"

    def outputs(self) -> list[str]:
        return [self.enriched, self.deadletter, *(self.events(c) for c in CATEGORIES)]

    def all(self) -> list[str]:
        return [self.raw, *self.outputs()]
