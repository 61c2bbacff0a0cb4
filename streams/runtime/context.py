"""The worker's handle: settings, topic names, the Faust app, its topics, tables and agents.

Its own module so that the app factory, the stages and the HTTP views all import it and none of
them imports another for its type (no import cycle).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import faust

from streams.config import Settings
from streams.contracts.topics import TopicNames
from streams.domain.event_counts import EventCounts
from streams.runtime.observability.metrics import Metrics
from streams.runtime.reliability.liveness import ProgressWatchdog


@dataclass
class Sitrep:
    """The app with its settings, topics and agents, as one handle for the shell."""

    settings: Settings
    app: faust.App
    names: TopicNames
    raw_topic: Any
    claims_topic: Any
    metrics: Metrics = field(default_factory=Metrics)
    outputs: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, Any] = field(default_factory=dict)
    agents: dict[str, Any] = field(default_factory=dict)
    watchdog: ProgressWatchdog | None = None
    event_counts: EventCounts = field(default_factory=EventCounts)  # GET /stats

    def output_topic(self, name: str) -> Any:
        return self.outputs[name]
