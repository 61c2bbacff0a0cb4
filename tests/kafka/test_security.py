"""Settings -> Kafka security options and Faust credentials, and the bearer-token check, without a broker."""

from __future__ import annotations

import re
import ssl
from pathlib import Path

import faust
import pytest

import streams
from streams.config import ConfigError, Settings
from streams.kafka.security import kafka_options
from streams.runtime.credentials import faust_credentials
from streams.runtime.http.auth import bearer_refusal

SASL = {
    "KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
    "KAFKA_SASL_USERNAME": "alice",
    "KAFKA_SASL_PASSWORD": "s3cret-value",
}


def test_plaintext_adds_nothing_so_clients_keep_their_defaults() -> None:
    settings = Settings.from_env({})
    assert kafka_options(settings) == {}
    assert faust_credentials(settings) is None


def test_sasl_scram_options_and_credentials() -> None:
    settings = Settings.from_env(SASL)
    assert kafka_options(settings) == {
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": "alice",
        "sasl_plain_password": "s3cret-value",
    }
    credentials = faust_credentials(settings)
    assert isinstance(credentials, faust.SASLCredentials)
    assert (credentials.mechanism.value, credentials.protocol.value) == ("SCRAM-SHA-512", "SASL_PLAINTEXT")
    assert credentials.ssl_context is None


def test_sasl_ssl_plain_carries_a_verifying_context() -> None:
    settings = Settings.from_env(
        {**SASL, "KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "KAFKA_SASL_MECHANISM": "PLAIN"}
    )
    options = kafka_options(settings)
    assert options["sasl_mechanism"] == "PLAIN"
    context = options["ssl_context"]
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    credentials = faust_credentials(settings)
    assert isinstance(credentials, faust.SASLCredentials)
    assert credentials.protocol.value == "SASL_SSL"


def test_ssl_uses_the_ca_file_and_faust_ssl_credentials(tmp_path: Path) -> None:
    missing = tmp_path / "ca.pem"
    with pytest.raises(ConfigError, match="KAFKA_SSL_CAFILE"):  # refused at start, not at first connect
        Settings.from_env({"KAFKA_SECURITY_PROTOCOL": "SSL", "KAFKA_SSL_CAFILE": str(missing)})
    missing.write_text("not a certificate\n")
    settings = Settings.from_env({"KAFKA_SECURITY_PROTOCOL": "SSL", "KAFKA_SSL_CAFILE": str(missing)})
    assert settings.ssl_cafile == missing
    with pytest.raises(ssl.SSLError):  # the CA file is really read
        kafka_options(settings)
    plain_ssl = Settings.from_env({"KAFKA_SECURITY_PROTOCOL": "SSL"})  # system CAs
    assert kafka_options(plain_ssl)["security_protocol"] == "SSL"
    assert isinstance(faust_credentials(plain_ssl), faust.SSLCredentials)


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"KAFKA_SECURITY_PROTOCOL": "TLS"}, "KAFKA_SECURITY_PROTOCOL"),
        ({**SASL, "KAFKA_SASL_MECHANISM": "GSSAPI"}, "KAFKA_SASL_MECHANISM"),
        ({"KAFKA_SECURITY_PROTOCOL": "SASL_SSL"}, "KAFKA_SASL_PASSWORD"),
    ],
)
def test_unusable_security_settings_are_refused_at_start(env: dict[str, str], names: str) -> None:
    with pytest.raises(ConfigError, match=names):
        Settings.from_env(env)


def test_secrets_stay_out_of_repr() -> None:
    settings = Settings.from_env({**SASL, "SITREP_API_TOKEN": "tok-123456"})
    assert "s3cret-value" not in repr(settings)
    assert "tok-123456" not in repr(settings)
    assert "s3cret-value" not in repr(faust_credentials(settings))


@pytest.mark.parametrize(
    ("header", "refusal"),
    [
        (None, "missing_token"),
        ("", "missing_token"),
        ("Basic dG9rZW4=", "missing_token"),
        ("Bearer ", "missing_token"),
        ("Bearer wrong", "invalid_token"),
        ("Bearer right-token-x", "invalid_token"),
        ("Bearer right-token", None),
        ("bearer right-token", None),
    ],
)
def test_bearer_token_check(header: str | None, refusal: str | None) -> None:
    assert bearer_refusal(header, "right-token") == refusal


def test_no_token_configured_leaves_the_api_open() -> None:
    assert bearer_refusal(None, "") is None
    assert bearer_refusal("Bearer anything", "") is None


def test_no_pickle_codec_and_a_non_root_image() -> None:
    root = Path(streams.__file__).parent
    assert not [path for path in root.rglob("*.py") if "pickle" in path.read_text()]
    dockerfile = (root.parent / "Dockerfile").read_text()
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
