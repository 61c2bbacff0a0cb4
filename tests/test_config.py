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
