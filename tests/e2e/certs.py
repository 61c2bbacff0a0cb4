"""A throwaway CA and a broker certificate for 127.0.0.1, made with the openssl CLI.

The `cryptography` package is not a dependency, and openssl is on every machine that
runs these tests; EC keys keep generation well under a second.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from streams.broker import TlsFiles

EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]


def make_tls_files(folder: Path) -> TlsFiles:
    """CA (ca.pem) -> server certificate (server.pem, SAN IP:127.0.0.1 and localhost) with a PKCS#8 key."""
    folder.mkdir(parents=True, exist_ok=True)
    ca, ca_key = folder / "ca.pem", folder / "ca.key"
    cert, key, csr = folder / "server.pem", folder / "server.key", folder / "server.csr"
    _openssl(
        "req",
        "-x509",
        *EC,
        "-keyout",
        ca_key,
        "-out",
        ca,
        "-days",
        "2",
        "-subj",
        "/CN=sitrep test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    )
    _openssl("req", *EC, "-keyout", key, "-out", csr, "-subj", "/CN=localhost")
    extensions = folder / "server.ext"
    extensions.write_text(
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
        "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n"
    )
    _openssl(
        "x509",
        "-req",
        "-in",
        csr,
        "-CA",
        ca,
        "-CAkey",
        ca_key,
        "-CAcreateserial",
        "-out",
        cert,
        "-days",
        "2",
        "-extfile",
        extensions,
    )
    return TlsFiles(ca_file=ca, cert_file=cert, key_file=key)


def _openssl(*args: str | Path) -> None:
    subprocess.run(["openssl", *map(str, args)], check=True, capture_output=True)
