import importlib.util
from pathlib import Path

import pytest

from streams.config import ConfigError, Settings


def test_defaults_without_environment() -> None:
    settings = Settings.from_env({})
    assert settings.bootstrap_servers == "127.0.0.1:9092"
    assert settings.topic_partitions == 4
    assert settings.max_article_bytes == 1024 * 1024


def test_environment_overrides_and_converts_types() -> None:
    settings = Settings.from_env(
        {
            "KAFKA_BOOTSTRAP_SERVERS": "k1:9092,k2:9092",
            "SITREP_TOPIC_PREFIX": "prod.",
            "SITREP_TOPIC_PARTITIONS": "8",
            "SITREP_CLASSIFY_BUDGET_SECONDS": "0.2",
            "SITREP_DATA_DIR": "/tmp/x",
        }
    )
    assert settings.bootstrap_servers == "k1:9092,k2:9092"
    assert settings.topic_prefix == "prod."
    assert settings.topic_partitions == 8
    assert settings.classify_budget_seconds == 0.2
    assert settings.data_dir == Path("/tmp/x")


@pytest.mark.parametrize("value", ["four", "-1"])
def test_bad_values_name_the_variable(value: str) -> None:
    with pytest.raises(ConfigError, match="SITREP_TOPIC_PARTITIONS"):
        Settings.from_env({"SITREP_TOPIC_PARTITIONS": value})


@pytest.mark.parametrize(
    ("prefix", "app_id"), [("", "sitrep"), ("prod.", "prod.sitrep"), ("eu-1_", "eu-1_sitrep")]
)
def test_default_app_id_is_derived_from_the_prefix(prefix: str, app_id: str) -> None:
    assert Settings.from_env({"SITREP_TOPIC_PREFIX": prefix}).app_id == app_id


def test_explicit_app_id_must_start_with_the_prefix() -> None:
    assert Settings.from_env({"SITREP_TOPIC_PREFIX": "prod.", "SITREP_APP_ID": "prod.eu"}).app_id == "prod.eu"
    with pytest.raises(ConfigError) as refused:
        Settings.from_env({"SITREP_TOPIC_PREFIX": "prod.", "SITREP_APP_ID": "sitrep"})
    message = str(refused.value)
    assert "SITREP_APP_ID='sitrep'" in message and "SITREP_TOPIC_PREFIX='prod.'" in message
    assert "\n" not in message


def test_without_prefix_any_app_id_is_accepted() -> None:
    assert Settings.from_env({"SITREP_APP_ID": "legacy"}).app_id == "legacy"


@pytest.mark.parametrize("env", [{"SITREP_TOPIC_PREFIX": "prod/"}, {"SITREP_APP_ID": "my app"}])
def test_names_kafka_refuses_are_refused(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError, match=next(iter(env))):
        Settings.from_env(env)


def test_replication_factor_defaults_to_the_brokers() -> None:
    assert Settings.from_env({}).topic_replication_factor == 0  # 0: the broker's default
    assert Settings.from_env({"SITREP_TOPIC_REPLICATION_FACTOR": "3"}).topic_replication_factor == 3
    with pytest.raises(ConfigError, match="SITREP_TOPIC_REPLICATION_FACTOR"):
        Settings.from_env({"SITREP_TOPIC_REPLICATION_FACTOR": "-1"})


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"KAFKA_BOOTSTRAP_SERVERS": "localhost"}, "KAFKA_BOOTSTRAP_SERVERS: 'localhost' has no port"),
        ({"KAFKA_BOOTSTRAP_SERVERS": ":9092"}, "has no port"),
        ({"KAFKA_BOOTSTRAP_SERVERS": "k1:9092,"}, "has an empty entry"),
        ({"KAFKA_BOOTSTRAP_SERVERS": "k1:9092, ,k2:9092"}, "has an empty entry"),
        ({"KAFKA_BOOTSTRAP_SERVERS": "k1:0"}, "not a number from 1 to 65535"),
        ({"KAFKA_BOOTSTRAP_SERVERS": "k1:65536"}, "not a number from 1 to 65535"),
        ({"KAFKA_BOOTSTRAP_SERVERS": "k1:nine"}, "not a number from 1 to 65535"),
        ({"KAFKA_BOOTSTRAP_SERVERS": "PLAINTEXT://k1:9092"}, "has a scheme"),
        ({"SITREP_TOPIC_PARTITIONS": "0"}, "SITREP_TOPIC_PARTITIONS=0 must be at least 1"),
        ({"SITREP_WEB_PORT": "99999"}, "SITREP_WEB_PORT=99999 is not a port"),
        ({"SITREP_WEB_PORT": "0"}, "SITREP_WEB_PORT=0 must be at least 1"),
        ({"SITREP_MAX_ARTICLE_BYTES": "0"}, "SITREP_MAX_ARTICLE_BYTES=0 must be at least 1"),
        ({"SITREP_SESSION_TIMEOUT_SECONDS": "0"}, "SITREP_SESSION_TIMEOUT_SECONDS=0.0 must be more than 0"),
        ({"SITREP_LAG_INTERVAL_SECONDS": "0"}, "SITREP_LAG_INTERVAL_SECONDS=0.0 must be more than 0"),
        ({"SITREP_LOG_LEVEL": "loud"}, "SITREP_LOG_LEVEL='loud' is not one of debug, info"),
        ({"SITREP_LOG_FORMAT": "xml"}, "SITREP_LOG_FORMAT='xml' is not one of json, text"),
        ({"SITREP_PRODUCER_COMPRESSION": "brotli"}, "SITREP_PRODUCER_COMPRESSION='brotli' is not one of"),
        ({"SITREP_RULES": "/no/such/rules.yaml"}, "SITREP_RULES=/no/such/rules.yaml: no such file"),
        ({"SITREP_RULES": "/"}, "SITREP_RULES=/: not a file"),
        ({"KAFKA_SSL_CAFILE": "/no/such/ca.pem"}, "KAFKA_SSL_CAFILE=/no/such/ca.pem: no such file"),
    ],
)
def test_values_out_of_range_or_choice_name_the_variable(env: dict[str, str], says: str) -> None:
    with pytest.raises(ConfigError) as raised:
        Settings.from_env(env)
    assert says in str(raised.value)


def test_a_range_error_says_the_default() -> None:
    with pytest.raises(ConfigError, match=r"unset it for the default \(4\)"):
        Settings.from_env({"SITREP_TOPIC_PARTITIONS": "0"})


def test_settings_built_in_code_are_checked_too() -> None:
    with pytest.raises(ConfigError, match="SITREP_WEB_PORT"):
        Settings(web_port=70000)


def test_good_values_pass(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules: []\n")
    settings = Settings.from_env(
        {
            "KAFKA_BOOTSTRAP_SERVERS": "k1:9092, [::1]:9093",
            "SITREP_LOG_LEVEL": "WARNING",
            "SITREP_LOG_FORMAT": "text",
            "SITREP_PRODUCER_COMPRESSION": "gzip",
            "SITREP_RULES": str(rules),
            "SITREP_STALL_SECONDS": "0",
            "SITREP_HTTP_RATE_PER_CLIENT": "0",
            "SITREP_PRODUCER_LINGER_MS": "0",
            "SITREP_WEB_PORT": "65535",
        }
    )
    assert settings.rules_path == rules
    assert settings.stall_seconds == 0


@pytest.mark.parametrize("codec", ["lz4", "snappy", "zstd"])
def test_codecs_beyond_gzip_need_cramjam(monkeypatch: pytest.MonkeyPatch, codec: str) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: None if name == "cramjam" else real_find_spec(name)
    )
    with pytest.raises(
        ConfigError, match=rf"needs the cramjam package \(pip install 'aiokafka\[{codec}\]'\)"
    ):
        Settings.from_env({"SITREP_PRODUCER_COMPRESSION": codec})
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object())
    assert Settings.from_env({"SITREP_PRODUCER_COMPRESSION": codec}).producer_compression == codec


def test_claim_partitions_default_to_one_and_must_be_at_least_one() -> None:
    """One claims partition: an article's claims are one message (issue 15)."""
    assert Settings.from_env({}).claim_partitions == 1
    assert Settings.from_env({"SITREP_CLAIM_PARTITIONS": "4"}).claim_partitions == 4
    with pytest.raises(ConfigError, match="SITREP_CLAIM_PARTITIONS=0 must be at least 1"):
        Settings.from_env({"SITREP_CLAIM_PARTITIONS": "0"})
