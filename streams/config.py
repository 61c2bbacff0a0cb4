"""Settings read once from the environment, so one image runs anywhere.

Every knob has a documented default (README, "Configuration"); nothing else in
the shell reads os.environ.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

MIB = 1024 * 1024


class ConfigError(ValueError):
    """An environment variable holds a value the worker cannot use."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Worker configuration; field name -> environment variable in ENV_NAMES."""

    bootstrap_servers: str = "127.0.0.1:9092"
    topic_prefix: str = ""
    topic_partitions: int = 4
    app_id: str = "sitrep"
    web_host: str = "127.0.0.1"
    web_port: int = 6066
    max_article_bytes: int = MIB
    max_request_bytes: int = 8 * MIB
    batch_size: int = 200
    batch_seconds: float = 0.05
    producer_linger_ms: int = 5
    producer_request_timeout_s: float = 30.0
    lag_interval_seconds: float = 5.0
    claim_retention_seconds: float = 7 * 24 * 3600.0
    claim_sweep_seconds: float = 60.0
    rules_path: Path | None = None
    data_dir: Path = Path(os.path.expanduser("~/.sitrep/worker"))
    log_level: str = "info"
    log_format: str = "json"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from `environ` (default: os.environ), converting types."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(ENV_NAMES[f.name])
            if raw is None or raw == "":
                continue
            default = getattr(_DEFAULTS, f.name)
            values[f.name] = _convert(f.name, raw, Path if default is None else type(default))
        return cls(**values)


ENV_NAMES: dict[str, str] = {
    "bootstrap_servers": "KAFKA_BOOTSTRAP_SERVERS",
    "topic_prefix": "SITREP_TOPIC_PREFIX",
    "topic_partitions": "SITREP_TOPIC_PARTITIONS",
    "app_id": "SITREP_APP_ID",
    "web_host": "SITREP_WEB_HOST",
    "web_port": "SITREP_WEB_PORT",
    "max_article_bytes": "SITREP_MAX_ARTICLE_BYTES",
    "max_request_bytes": "SITREP_MAX_REQUEST_BYTES",
    "batch_size": "SITREP_BATCH_SIZE",
    "batch_seconds": "SITREP_BATCH_SECONDS",
    "producer_linger_ms": "SITREP_PRODUCER_LINGER_MS",
    "producer_request_timeout_s": "SITREP_PRODUCER_REQUEST_TIMEOUT",
    "lag_interval_seconds": "SITREP_LAG_INTERVAL_SECONDS",
    "claim_retention_seconds": "SITREP_CLAIM_RETENTION_SECONDS",
    "claim_sweep_seconds": "SITREP_CLAIM_SWEEP_SECONDS",
    "rules_path": "SITREP_RULES",
    "data_dir": "SITREP_DATA_DIR",
    "log_level": "SITREP_LOG_LEVEL",
    "log_format": "SITREP_LOG_FORMAT",
}

_DEFAULTS = Settings()


def _convert(name: str, raw: str, kind: type) -> Any:
    try:
        if kind is Path or issubclass(kind, Path):
            return Path(os.path.expanduser(raw))
        value = kind(raw)
    except ValueError:
        raise ConfigError(f"{ENV_NAMES[name]}={raw!r} is not a valid {kind.__name__}") from None
    if isinstance(value, int | float) and value < 0:
        raise ConfigError(f"{ENV_NAMES[name]}={raw!r} must not be negative")
    return value
