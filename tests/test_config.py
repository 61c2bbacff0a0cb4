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
