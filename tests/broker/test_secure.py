"""The secured broker's server.properties and format arguments, checked without starting a JVM."""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

from streams.broker.config import data_file, write_config
from streams.broker.secure import BROKER_USER, Security, TlsFiles, probe_options, scram_arguments


def props(path: Path) -> dict[str, str]:
    lines = [line for line in path.read_text().splitlines() if line and not line.startswith("#")]
    return dict(line.split("=", 1) for line in lines)


def test_plaintext_config_is_the_template_as_before(tmp_path: Path) -> None:
    text = write_config(tmp_path, 9092).read_text()
    found = re.search(r"CONTROLLER://127\.0\.0\.1:(\d+)", text)
    assert found is not None
    template = Template(data_file("server.properties"))
    assert text == template.substitute(port=9092, controller_port=found.group(1), log_dir=tmp_path / "kraft")


def test_sasl_listener_with_the_broker_own_scram_user(tmp_path: Path) -> None:
    security = Security({"alice": "secret"})
    config = props(write_config(tmp_path, 9093, security))
    assert config["listeners"].startswith("SASL_PLAINTEXT://127.0.0.1:9093,CONTROLLER://127.0.0.1:")
    assert config["listener.security.protocol.map"] == "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT"
    assert config["sasl.enabled.mechanisms"] == "SCRAM-SHA-512"
    assert (
        f'username="{BROKER_USER}"' in config["listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config"]
    )
    args = scram_arguments(security, tmp_path)
    assert args[:2] == ["--add-scram", "SCRAM-SHA-512=[name=alice,password=secret]"]
    assert any(f"name={BROKER_USER}," in arg for arg in args)
    assert scram_arguments(security, tmp_path) == args  # the broker's password is kept for restarts
    assert probe_options(security, tmp_path)["sasl_plain_username"] == BROKER_USER
    assert "secret" not in repr(security)


def test_tls_listener_uses_pem_files(tmp_path: Path) -> None:
    for name in ("ca.pem", "server.pem", "server.key"):
        (tmp_path / name).write_text(f"-----{name}-----\n")
    tls = TlsFiles(tmp_path / "ca.pem", tmp_path / "server.pem", tmp_path / "server.key")
    config = props(write_config(tmp_path, 9094, Security(tls=tls)))
    assert config["advertised.listeners"] == "SSL://127.0.0.1:9094"
    assert config["ssl.keystore.type"] == config["ssl.truststore.type"] == "PEM"
    keystore = Path(config["ssl.keystore.location"]).read_text()
    assert keystore == "-----server.key-----\n-----server.pem-----\n"
    assert config["ssl.truststore.location"] == str(tmp_path / "ca.pem")
    assert Security({"a": "b"}, tls).protocol == "SASL_SSL"
