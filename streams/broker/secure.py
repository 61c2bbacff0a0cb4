"""Optional SASL/SCRAM-SHA-512 and TLS on the local broker's client listener, so tests meet real auth.

The broker talks to itself over the same listener, as a SCRAM user of its own whose
password is made once per data dir (SCRAM credentials are written at format time only).
The controller listener stays PLAINTEXT on 127.0.0.1: it is the single node's own.
"""

from __future__ import annotations

import secrets
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MECHANISM = "SCRAM-SHA-512"
BROKER_USER = "sitrep-broker"


@dataclass(frozen=True)
class TlsFiles:
    """PEM files: the CA that clients trust, and the broker's certificate (SAN 127.0.0.1) and key (PKCS#8)."""

    ca_file: Path
    cert_file: Path
    key_file: Path


@dataclass(frozen=True)
class Security:
    """What the client listener demands; empty means PLAINTEXT, exactly as before."""

    sasl_users: Mapping[str, str] = field(default_factory=dict, repr=False)
    tls: TlsFiles | None = None

    @property
    def protocol(self) -> str:
        sasl, tls = bool(self.sasl_users), self.tls is not None
        return {(False, False): "PLAINTEXT", (True, False): "SASL_PLAINTEXT"}.get(
            (sasl, tls), "SASL_SSL" if sasl else "SSL"
        )


def broker_password(data_dir: Path) -> str:
    """The broker's own SCRAM password, kept in the data dir so a restart matches the formatted storage."""
    path = data_dir / "broker-scram-password"
    if not path.is_file():
        path.write_text(secrets.token_urlsafe(24))
        path.chmod(0o600)
    return path.read_text().strip()


def listener_properties(
    security: Security, data_dir: Path, port: int, controller_port: int
) -> dict[str, str]:
    """server.properties lines that replace the PLAINTEXT listener, or none when nothing is asked."""
    protocol = security.protocol
    if protocol == "PLAINTEXT":
        return {}
    props = {
        "listeners": f"{protocol}://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}",
        "advertised.listeners": f"{protocol}://127.0.0.1:{port}",
        "listener.security.protocol.map": f"{protocol}:{protocol},CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name": protocol,
    }
    if security.sasl_users:
        password = broker_password(data_dir)
        jaas = f'org.apache.kafka.common.security.scram.ScramLoginModule required username="{BROKER_USER}" '
        props |= {
            "sasl.enabled.mechanisms": MECHANISM,
            "sasl.mechanism.inter.broker.protocol": MECHANISM,
            f"listener.name.{protocol.lower()}.{MECHANISM.lower()}.sasl.jaas.config": (
                jaas + f'password="{password}";'
            ),
        }
    if security.tls is not None:
        keystore = data_dir / "keystore.pem"  # Kafka's PEM keystore: key and chain in one file
        keystore.write_text(security.tls.key_file.read_text() + security.tls.cert_file.read_text())
        keystore.chmod(0o600)
        props |= {
            "ssl.keystore.type": "PEM",
            "ssl.keystore.location": str(keystore),
            "ssl.truststore.type": "PEM",
            "ssl.truststore.location": str(security.tls.ca_file.resolve()),
        }
    return props


def apply(text: str, props: Mapping[str, str]) -> str:
    """Replace the keys already in the rendered template and append the rest."""
    lines = [line for line in text.splitlines() if line.partition("=")[0] not in props]
    return "\n".join([*lines, *(f"{key}={value}" for key, value in props.items())]) + "\n"


def scram_arguments(security: Security, data_dir: Path) -> list[str]:
    """StorageTool format arguments that create the SCRAM users (and the broker's own)."""
    if not security.sasl_users:
        return []
    users = {**security.sasl_users, BROKER_USER: broker_password(data_dir)}
    args: list[str] = []
    for name, password in users.items():
        args += ["--add-scram", f"{MECHANISM}=[name={name},password={password}]"]
    return args


def probe_options(security: Security, data_dir: Path) -> dict[str, Any]:
    """aiokafka options for the readiness probe: the broker's own account, over the same listener."""
    options: dict[str, Any] = {}
    if security.protocol == "PLAINTEXT":
        return options
    options["security_protocol"] = security.protocol
    if security.tls is not None:
        options["ssl_context"] = ssl.create_default_context(cafile=str(security.tls.ca_file))
    if security.sasl_users:
        options |= {
            "sasl_mechanism": MECHANISM,
            "sasl_plain_username": BROKER_USER,
            "sasl_plain_password": broker_password(data_dir),
        }
    return options
