"""Start, stop and inspect one detached broker JVM, tracked by a pid file in its data dir."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from streams.broker.config import format_storage, write_config
from streams.broker.fetch import ensure_jars, sitrep_home
from streams.broker.report import BrokerError, excerpt, say
from streams.broker.secure import Security, TlsFiles, probe_options
from streams.kafka.probe import kafka_answers

# Kafka's own scripts default to a 1 GiB heap and read KAFKA_HEAP_OPTS; so does this broker. It
# starts at 256 MiB, which a test broker never outgrows. A 512 MiB cap ran out of memory on a dev
# broker shared by several benches (a million-claim changelog among them).
DEFAULT_HEAP_OPTS = "-Xms256m -Xmx1g"
SERVER_OPTS = [
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:+ExitOnOutOfMemoryError",
]
# StorageTool runs for a second: the C1 compiler alone starts it faster.
TOOL_OPTS = ["-Xmx256m", "-XX:TieredStopAtLevel=1"]

# Brokers this process launched: polling the Popen reaps them, else they linger as zombies.
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


@dataclass(frozen=True)
class BrokerStatus:
    """What `status` found; pid is None unless the broker process is alive."""

    running: bool
    pid: int | None
    bootstrap: str
    log_path: Path


def start(
    port: int = 9092,
    data_dir: str | os.PathLike[str] | None = None,
    timeout: float = 90.0,
    *,
    sasl_users: Mapping[str, str] | None = None,
    tls: TlsFiles | None = None,
) -> str:
    """Return a bootstrap address with a broker answering behind it, launching one if needed.

    `timeout` bounds the wait for the launched broker to answer; the one-time jar
    download before it is not counted. `sasl_users` (name -> password, SCRAM-SHA-512) and
    `tls` secure the client listener; they take effect when the data dir is first formatted.
    """
    bootstrap = f"127.0.0.1:{port}"
    home = _data_dir(port, data_dir)
    home.mkdir(parents=True, exist_ok=True)
    security = Security(dict(sasl_users or {}), tls) if sasl_users or tls else None
    options = probe_options(security, home) if security is not None else {}
    if kafka_answers(bootstrap, options=options):
        say(f"broker already answering at {bootstrap}")
        return bootstrap
    began = time.monotonic()
    current = status(port, home)
    if current.running and current.pid is not None:
        pid = current.pid  # launched earlier and still starting: wait for it, never launch twice
    else:
        libs = ensure_jars()
        _rotate_logs(home)
        config = write_config(home, port, security)
        format_storage(_java(libs, home, TOOL_OPTS), home, config, security)
        pid = _launch(libs, home, config)
    _wait_ready(port, home, pid, timeout, options)
    say(f"broker ready at {bootstrap} in {time.monotonic() - began:.1f} s")
    return bootstrap


def stop(port: int = 9092, data_dir: str | os.PathLike[str] | None = None, timeout: float = 30.0) -> bool:
    """SIGTERM first so the broker shuts down cleanly (no log recovery next start); SIGKILL after timeout."""
    home = _data_dir(port, data_dir)
    current = status(port, home)
    if current.pid is None:
        _pid_file(home).unlink(missing_ok=True)
        return False
    pid, began = current.pid, time.monotonic()
    _signal(pid, signal.SIGTERM)
    if not _wait_gone(pid, timeout):
        say(f"broker pid {pid} still running {timeout:.0f} s after SIGTERM; sending SIGKILL")
        _signal(pid, signal.SIGKILL)
        _wait_gone(pid, 10.0)
    _pid_file(home).unlink(missing_ok=True)
    _CHILDREN.pop(pid, None)
    say(f"broker at 127.0.0.1:{port} stopped in {time.monotonic() - began:.1f} s")
    return True


def status(port: int = 9092, data_dir: str | os.PathLike[str] | None = None) -> BrokerStatus:
    """Report the broker managed in this data dir; a foreign broker on the port is not ours to report."""
    home = _data_dir(port, data_dir)
    pid = _read_pid(_pid_file(home))
    alive = pid is not None and _alive(pid)
    return BrokerStatus(alive, pid if alive else None, f"127.0.0.1:{port}", _log_path(home))


def _data_dir(port: int, data_dir: str | os.PathLike[str] | None) -> Path:
    """Absolute, because the path is written into server.properties and JVM flags."""
    return Path(data_dir if data_dir is not None else sitrep_home() / f"broker-{port}").resolve()


def _pid_file(home: Path) -> Path:
    return home / "broker.pid"


def _log_path(home: Path) -> Path:
    return home / "logs" / "server.log"


def heap_options(environ: Mapping[str, str] = os.environ) -> list[str]:
    """The broker JVM's heap flags: KAFKA_HEAP_OPTS as Kafka's own start script reads it, else ours."""
    return (environ.get("KAFKA_HEAP_OPTS", "").strip() or DEFAULT_HEAP_OPTS).split()


def _java(libs: Path, home: Path, options: list[str]) -> list[str]:
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    if java is None:
        raise BrokerError("java is not on PATH (Kafka 4.x needs Java 17+)")
    logging = [
        f"-Dkafka.logs.dir={home / 'logs'}",
        f"-Dlog4j2.configurationFile={home / 'log4j2.properties'}",
    ]
    return [java, *options, "-Djava.awt.headless=true", *logging, "-cp", str(libs / "*")]


def _rotate_logs(home: Path) -> None:
    """Keep the previous run's logs as *.1, so the errors quoted by a failed start are this run's."""
    for log in (_log_path(home), home / "kafka.out"):
        if log.exists():
            log.replace(log.with_name(log.name + ".1"))


def _launch(libs: Path, home: Path, config: Path) -> int:
    """Detached in its own session, so the broker outlives the caller (a CLI) and ignores its Ctrl-C."""
    with (home / "kafka.out").open("wb") as out:
        child = subprocess.Popen(
            [*_java(libs, home, [*heap_options(), *SERVER_OPTS]), "kafka.Kafka", str(config)],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=home,
            start_new_session=True,
        )
    _CHILDREN[child.pid] = child
    _pid_file(home).write_text(f"{child.pid}\n")
    say(f"broker launched (pid {child.pid}), logging to {_log_path(home)}")
    return child.pid


def _wait_ready(port: int, home: Path, pid: int, timeout: float, options: Mapping[str, Any]) -> None:
    deadline = time.monotonic() + timeout
    while not kafka_answers(f"127.0.0.1:{port}", options=options):
        if not _alive(pid):
            _pid_file(home).unlink(missing_ok=True)
            raise BrokerError(f"broker (pid {pid}) exited during startup{_exit_code(pid)}\n{_logs(home)}")
        if time.monotonic() > deadline:
            stop(port, home)
            raise BrokerError(f"broker did not answer on port {port} within {timeout:.0f} s\n{_logs(home)}")
        time.sleep(0.25)


def _logs(home: Path) -> str:
    return f"{excerpt(_log_path(home))}\n{excerpt(home / 'kafka.out', 10)}"


def _exit_code(pid: int) -> str:
    child = _CHILDREN.pop(pid, None)
    return f" with exit code {child.returncode}" if child is not None else ""


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    """Alive and still a Kafka broker: a stale pid file may name a pid reused by another program."""
    child = _CHILDREN.get(pid)
    if child is not None:
        return child.poll() is None  # also reaps it, so it does not linger as a zombie
    proc = Path("/proc") / str(pid)
    if Path("/proc/self").is_dir():
        try:
            state = (proc / "stat").read_text().rpartition(")")[2].split()[0]
            cmdline = (proc / "cmdline").read_bytes()
        except (OSError, IndexError):
            return False
        # cmdline reads empty while the java launcher execs; a zombie has state Z
        return state not in ("Z", "X") and (not cmdline or b"kafka.Kafka" in cmdline)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _signal(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while _alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True
