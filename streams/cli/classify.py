"""`sitrep classify`: the worker's processing on files, without Kafka, same JSON out."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TextIO

from streams.cli.inputs import read_inputs
from streams.config import Settings
from streams.contracts.topics import TopicNames
from streams.domain.enrichment import Limits, Source, process

log = logging.getLogger("sitrep.classify")


def classify_files(paths: list[Path], settings: Settings, out: TextIO) -> int:
    """Print one enriched article per line; rejected inputs are reported on stderr. Exit 1 if any."""
    names = TopicNames(settings.topic_prefix)
    limits = Limits.from_settings(settings)
    rejected = 0
    for index, item in enumerate(read_inputs(paths)):
        source = Source(topic="file", offset=index)
        outcome = process(
            item.payload,
            source,
            names,
            settings.max_article_bytes,
            claim_partitions=None,
            limits=limits,
        )
        if outcome.rejected is not None:
            rejected += 1
            log.warning(
                "input rejected",
                extra={
                    "event": "rejected",
                    "index": index,
                    "file": str(item.path),
                    "line": item.line,
                    "reason": outcome.rejected.reason,
                    "error": outcome.rejected.error,
                },
            )
            continue
        out.write(outcome.outputs[-1].value.decode() + "\n")
    return 1 if rejected else 0
