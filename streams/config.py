"""Settings read once from the environment, so one image runs anywhere.

Every knob has a documented default (README, "Configuration"); nothing else in
the shell reads os.environ.
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Any

Network = IPv4Network | IPv6Network


def parse_networks(spec: str) -> tuple[Network, ...]:
    """Comma-separated addresses or CIDRs ("10.0.0.1, 10.8.0.0/16, fd00::/8"); ValueError names a bad one."""
    networks = []
    for item in (part.strip() for part in spec.split(",")):
        if not item:
            continue
        try:
            networks.append(ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"{item!r} is not an IP address or CIDR") from None
    return tuple(networks)


MIB = 1024 * 1024


class ConfigError(ValueError):
    """An environment variable holds a value the worker cannot use."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Worker configuration; field name -> environment variable in ENV_NAMES."""

    bootstrap_servers: str = "127.0.0.1:9092"
    topic_prefix: str = ""
    topic_partitions: int = 4
    # The claims topic and its table's changelog, when the worker creates them (an existing claims
    # topic keeps its count): 1, so that an article's claims are one message (issue 15).
    claim_partitions: int = 1
    topic_replication_factor: int = 0  # 0: the broker's default.replication.factor
    app_id: str = ""  # "": the prefix + "sitrep"; names the consumer group and the changelog topics
    web_host: str = "127.0.0.1"
    web_port: int = 6066
    max_article_bytes: int = MIB
    max_request_bytes: int = 8 * MIB
    max_sentences: int = 5000
    http_rate_per_client: float = 50.0
    http_burst_per_client: int = 100
    http_ack_timeout_seconds: float = 10.0
    trusted_proxies: str = ""
    max_events: int = 500
    classify_budget_seconds: float = 2.0
    producer_linger_ms: int = 5
    producer_max_batch_size: int = 256 * 1024
    producer_compression: str = "none"  # gzip works as is; lz4, zstd, snappy need cramjam
    consumer_max_fetch_size: int = MIB
    producer_request_timeout_s: float = 30.0
    lag_interval_seconds: float = 5.0
    stall_seconds: float = 30.0
    session_timeout_seconds: float = 10.0
    commit_interval_seconds: float = 1.0
    claim_retention_seconds: float = 7 * 24 * 3600.0
    claim_sweep_seconds: float = 60.0
    rules_path: Path | None = None
    data_dir: Path = Path(os.path.expanduser("~/.sitrep/worker"))
    state_store: str = "rocksdb"  # claims and alert state on disk (runtime/state_store.py); or memory
    standby_replicas: int = 1  # workers that keep a copy of each state partition warm (Faust's default)
    log_level: str = "info"
    log_format: str = "json"
    # Security (README, "Security"): secrets stay out of repr, hence out of logs and tracebacks.
    api_token: str = field(default="", repr=False)
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str = "SCRAM-SHA-512"
    sasl_username: str = ""
    sasl_password: str = field(default="", repr=False)
    ssl_cafile: Path | None = None
    ssl_certfile: Path | None = None
    ssl_keyfile: Path | None = None

    def __post_init__(self) -> None:
        _check_values(self)
        _check_security(self)
        _check_names(self)
        _check_proxies(self)

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
    "claim_partitions": "SITREP_CLAIM_PARTITIONS",
    "topic_replication_factor": "SITREP_TOPIC_REPLICATION_FACTOR",
    "app_id": "SITREP_APP_ID",
    "web_host": "SITREP_WEB_HOST",
    "web_port": "SITREP_WEB_PORT",
    "max_article_bytes": "SITREP_MAX_ARTICLE_BYTES",
    "max_request_bytes": "SITREP_MAX_REQUEST_BYTES",
    "max_sentences": "SITREP_MAX_SENTENCES",
    "http_rate_per_client": "SITREP_HTTP_RATE_PER_CLIENT",
    "http_burst_per_client": "SITREP_HTTP_BURST_PER_CLIENT",
    "http_ack_timeout_seconds": "SITREP_HTTP_ACK_TIMEOUT_SECONDS",
    "trusted_proxies": "SITREP_TRUSTED_PROXIES",
    "max_events": "SITREP_MAX_EVENTS",
    "classify_budget_seconds": "SITREP_CLASSIFY_BUDGET_SECONDS",
    "producer_linger_ms": "SITREP_PRODUCER_LINGER_MS",
    "producer_max_batch_size": "SITREP_PRODUCER_MAX_BATCH_SIZE",
    "producer_compression": "SITREP_PRODUCER_COMPRESSION",
    "consumer_max_fetch_size": "SITREP_CONSUMER_MAX_FETCH_SIZE",
    "producer_request_timeout_s": "SITREP_PRODUCER_REQUEST_TIMEOUT",
    "lag_interval_seconds": "SITREP_LAG_INTERVAL_SECONDS",
    "stall_seconds": "SITREP_STALL_SECONDS",
    "session_timeout_seconds": "SITREP_SESSION_TIMEOUT_SECONDS",
    "commit_interval_seconds": "SITREP_COMMIT_INTERVAL_SECONDS",
    "claim_retention_seconds": "SITREP_CLAIM_RETENTION_SECONDS",
    "claim_sweep_seconds": "SITREP_CLAIM_SWEEP_SECONDS",
    "rules_path": "SITREP_RULES",
    "data_dir": "SITREP_DATA_DIR",
    "state_store": "SITREP_STATE_STORE",
    "standby_replicas": "SITREP_STANDBY_REPLICAS",
    "log_level": "SITREP_LOG_LEVEL",
    "log_format": "SITREP_LOG_FORMAT",
    "api_token": "SITREP_API_TOKEN",
    "security_protocol": "KAFKA_SECURITY_PROTOCOL",
    "sasl_mechanism": "KAFKA_SASL_MECHANISM",
    "sasl_username": "KAFKA_SASL_USERNAME",
    "sasl_password": "KAFKA_SASL_PASSWORD",
    "ssl_cafile": "KAFKA_SSL_CAFILE",
    "ssl_certfile": "KAFKA_SSL_CERTFILE",
    "ssl_keyfile": "KAFKA_SSL_KEYFILE",
}
PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")
LOG_FORMATS = ("json", "text")
STATE_STORES = ("rocksdb", "memory")
# aiokafka compresses gzip with the standard library; the other codecs come from cramjam.
COMPRESSIONS = ("none", "gzip", "lz4", "snappy", "zstd")
# Numeric settings that must be over zero; the others may be 0 (off, or no delay).
POSITIVE = (
    "topic_partitions", "claim_partitions", "web_port", "max_article_bytes", "max_request_bytes",
    "max_sentences", "max_events", "http_burst_per_client", "classify_budget_seconds",
    "producer_max_batch_size", "consumer_max_fetch_size", "producer_request_timeout_s",
    "lag_interval_seconds", "session_timeout_seconds", "commit_interval_seconds", "claim_retention_seconds",
    "claim_sweep_seconds", "http_ack_timeout_seconds",
)  # fmt: skip
FILES = ("rules_path", "ssl_cafile", "ssl_certfile", "ssl_keyfile")


def _check_values(settings: Settings) -> None:
    """Ranges, choices, the bootstrap list and the files named: a mistake stops the process at start,
    naming the variable, instead of failing later inside Faust or aiokafka with a traceback."""
    for name in POSITIVE:
        value = getattr(settings, name)
        if value <= 0:
            least = "at least 1" if isinstance(value, int) else "more than 0"
            default = getattr(_DEFAULTS, name)
            raise ConfigError(
                f"{ENV_NAMES[name]}={value} must be {least}; unset it for the default ({default})"
            )
    if not is_port(str(settings.web_port)):
        raise ConfigError(f"{ENV_NAMES['web_port']}={settings.web_port} is not a port (1-65535)")
    _check_choice("log_level", settings.log_level.lower(), LOG_LEVELS)
    _check_choice("log_format", settings.log_format, LOG_FORMATS)
    _check_choice("state_store", settings.state_store, STATE_STORES)
    if settings.standby_replicas < 0:
        raise ConfigError(f"{ENV_NAMES['standby_replicas']}={settings.standby_replicas} must be 0 or more")
    _check_choice("producer_compression", settings.producer_compression, COMPRESSIONS)
    if settings.producer_compression not in ("none", "gzip") and importlib.util.find_spec("cramjam") is None:
        codec = settings.producer_compression
        raise ConfigError(
            f"{ENV_NAMES['producer_compression']}={codec} needs the cramjam package "
            f"(pip install 'aiokafka[{codec}]'); without it use none or gzip"
        )
    _check_bootstrap(settings.bootstrap_servers)
    for name in FILES:
        path = getattr(settings, name)
        if path is not None:
            _check_file(name, path)


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ConfigError(f"{ENV_NAMES[name]}={value!r} is not one of {', '.join(choices)}")


def _check_bootstrap(servers: str) -> None:
    """A comma-separated host:port list, as aiokafka and Faust expect it (no scheme, a port each)."""
    name = ENV_NAMES["bootstrap_servers"]
    for entry in (part.strip() for part in servers.split(",")):
        if not entry:
            raise ConfigError(f"{name}={servers!r} has an empty entry; write host:port[,host:port...]")
        if "://" in entry:
            raise ConfigError(f"{name}: {entry!r} has a scheme; write host:port, e.g. 127.0.0.1:9092")
        host, colon, port = entry.rpartition(":")
        if not colon or not host:
            raise ConfigError(f"{name}: {entry!r} has no port; write host:port, e.g. {entry or 'host'}:9092")
        if not is_port(port):
            raise ConfigError(f"{name}: the port of {entry!r} is not a number from 1 to 65535")


def _check_file(name: str, path: Path) -> None:
    where = f"{ENV_NAMES[name]}={path}"
    if not path.exists():
        raise ConfigError(f"{where}: no such file; fix the path or unset it")
    if not path.is_file():
        raise ConfigError(f"{where}: not a file; name a file or unset it")
    if not os.access(path, os.R_OK):
        raise ConfigError(f"{where}: permission denied; make it readable by this user")


def _check_security(settings: Settings) -> None:
    """Refuse at start what would otherwise fail later as an opaque connection error."""
    name = ENV_NAMES["security_protocol"]
    if settings.security_protocol not in PROTOCOLS:
        raise ConfigError(f"{name}={settings.security_protocol!r} is not one of {', '.join(PROTOCOLS)}")
    if not settings.security_protocol.startswith("SASL_"):
        return
    if settings.sasl_mechanism not in MECHANISMS:
        raise ConfigError(f"{ENV_NAMES['sasl_mechanism']} must be one of {', '.join(MECHANISMS)}")
    if not settings.sasl_username or not settings.sasl_password:
        raise ConfigError(
            f"{name}={settings.security_protocol} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD"
        )


# What Kafka allows in a topic name; the app id is the start of the changelog topics' names.
TOPIC_NAME_CHARACTERS = re.compile(r"[A-Za-z0-9._-]*")


def _check_names(settings: Settings) -> None:
    """The prefix isolates an environment only if the app id (consumer group, changelog and
    Faust's internal topics) starts with it too: derive the app id, or refuse one that does not."""
    prefix, app_id = ENV_NAMES["topic_prefix"], ENV_NAMES["app_id"]
    for name, value in ((prefix, settings.topic_prefix), (app_id, settings.app_id)):
        if not TOPIC_NAME_CHARACTERS.fullmatch(value):
            raise ConfigError(
                f"{name}={value!r} may hold only letters, digits, '.', '_' and '-' (Kafka topic names)"
            )
    if not settings.app_id:
        object.__setattr__(settings, "app_id", f"{settings.topic_prefix}sitrep")
    elif not settings.app_id.startswith(settings.topic_prefix):
        raise ConfigError(
            f"{app_id}={settings.app_id!r} does not start with {prefix}={settings.topic_prefix!r}, so it "
            f"would share the consumer group and changelogs across prefixes: unset {app_id} "
            f"(default {settings.topic_prefix}sitrep) or make it start with the prefix"
        )


def _check_proxies(settings: Settings) -> None:
    try:
        parse_networks(settings.trusted_proxies)
    except ValueError as exc:
        raise ConfigError(
            f"{ENV_NAMES['trusted_proxies']}: {exc}; give addresses or CIDRs, comma-separated"
        ) from None


def is_port(text: str) -> bool:
    """A TCP port number, 1 to 65535, written in digits."""
    return text.isdigit() and 1 <= int(text) <= 65535


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
