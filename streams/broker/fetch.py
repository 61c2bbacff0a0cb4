"""The Kafka jar cache: fetched once with Maven, reused by every later start."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from streams.broker.report import BrokerError, say

POM_NS = {"m": "http://maven.apache.org/POM/4.0.0"}


def sitrep_home() -> Path:
    """Caches live outside the repo so every checkout and test run shares one download."""
    return Path(os.environ.get("SITREP_HOME") or "~/.sitrep").expanduser().resolve()


def pom_bytes() -> bytes:
    return resources.files(__package__).joinpath("pom.xml").read_bytes()


def kafka_version() -> str:
    """The pom is the single pin, so the cache path can never disagree with what Maven fetched."""
    node = ET.fromstring(pom_bytes()).find("m:properties/m:kafka.version", POM_NS)
    if node is None or not node.text:
        raise BrokerError("pom.xml has no <kafka.version> property")
    return node.text.strip()


def kafka_dir(home: Path | None = None) -> Path:
    return (home or sitrep_home()) / "kafka" / kafka_version()


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Parallel test workers must not run two Mavens into one cache directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_jars(home: Path | None = None) -> Path:
    """Return the libs dir, calling Maven only when the marker does not match this pom."""
    root = kafka_dir(home)
    libs, marker = root / "libs", root / "complete"
    pom = pom_bytes()
    digest = hashlib.sha256(pom).hexdigest()
    if _marked(marker, digest):
        return libs
    with _locked(root.with_name(root.name + ".lock")):
        if _marked(marker, digest):
            return libs
        _download(root, pom)
        marker.write_text(digest + "\n")
    return libs


def _marked(marker: Path, digest: str) -> bool:
    return marker.is_file() and marker.read_text().strip() == digest


def _download(root: Path, pom: bytes) -> None:
    """Copy into a scratch dir and rename, so an interrupted fetch never looks complete."""
    mvn = shutil.which("mvn")
    if mvn is None:
        raise BrokerError("Maven (mvn) is not on PATH; it is needed once to fetch the Kafka jars")
    say(f"fetching Kafka {kafka_version()} jars with Maven...")
    began = time.monotonic()
    root.mkdir(parents=True, exist_ok=True)
    (root / "pom.xml").write_bytes(pom)
    partial, libs = root / "libs.partial", root / "libs"
    shutil.rmtree(partial, ignore_errors=True)
    command = [mvn, "-q", "-B", "-f", str(root / "pom.xml"), "dependency:copy-dependencies"]
    command += [f"-DoutputDirectory={partial}", "-DincludeScope=runtime"]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        output = (done.stdout + done.stderr)[-4000:]
        raise BrokerError(f"mvn failed with exit code {done.returncode}:\n{output}")
    shutil.rmtree(libs, ignore_errors=True)
    partial.rename(libs)
    count = len(list(libs.glob("*.jar")))
    say(f"fetched {count} jars in {time.monotonic() - began:.1f} s into {libs}")
