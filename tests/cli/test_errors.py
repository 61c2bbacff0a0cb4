"""Every mistake a user can make on the command line, through the real `sitrep` entry point: one line
on stderr, `sitrep: what is wrong and what to do`, exit 2, and never a traceback."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

SITREP = str(Path(sys.executable).with_name("sitrep"))
NOWHERE = "127.0.0.1:1"  # nothing listens: a mistake must be caught before any connection


def run_sitrep(
    args: list[str], env_extra: dict[str, str], cwd: Path, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SITREP_", "KAFKA_"))}
    env.update({"KAFKA_BOOTSTRAP_SERVERS": NOWHERE, "SITREP_HOME": str(cwd / "home")}, **env_extra)
    return subprocess.run(
        [SITREP, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "feed.jsonl").write_text('{"id": "a", "body": "Troops moved."}\n')
    (tmp_path / "empty-dir").mkdir()
    (tmp_path / "broken.yaml").write_text("rules: [\n  - id: x\n")
    (tmp_path / "bad-rule.yaml").write_text("rules:\n  - id: x\n    severity: loud\n")
    (tmp_path / "labels.jsonl").write_text('{"id": "s1", "text": "Troops moved.", "events": []}\nnot json\n')
    return tmp_path


# (what the user did, the arguments, the environment, a piece of the line that must say what is wrong)
MISTAKES = [
    ("ingest a missing file", ["ingest", "missing.jsonl"], {}, "missing.jsonl: no such file"),
    ("classify a missing directory", ["classify", "missing/"], {}, "missing: no such file or directory"),
    ("classify an empty directory", ["classify", "empty-dir"], {}, "empty-dir: no .jsonl"),
    ("demo a missing file", ["demo", "missing.txt"], {}, "missing.txt: no such file"),
    ("eval a missing dataset", ["eval", "missing.jsonl"], {}, "missing.jsonl: no such labelled"),
    ("eval a line that is not JSON", ["eval", "labels.jsonl"], {}, "labels.jsonl:2: not a JSON object"),
    ("replay since yesterday", ["replay", "--since", "yesterday"], {}, "--since 'yesterday' is not a date"),
    ("replay until a word", ["replay", "--since", "2026-01-01", "--until", "soon"], {}, "--until 'soon'"),
    (
        "replay until before since",
        ["replay", "--since", "2026-02-01", "--until", "2026-01-01"],
        {},
        "not after",
    ),
    ("replay at rate 0", ["replay", "--since", "2026-01-01", "--rate", "0"], {}, "--rate 0 must be more"),
    ("resume from no line", ["ingest", "feed.jsonl", "--resume-from", "feed.jsonl"], {}, "write FILE:LINE"),
    ("resume from another file", ["ingest", "feed.jsonl", "--resume-from", "x.jsonl:3"], {}, "not among"),
    (
        "bootstrap without port",
        ["worker"],
        {"KAFKA_BOOTSTRAP_SERVERS": "localhost"},
        "'localhost' has no port",
    ),
    (
        "bootstrap empty entry",
        ["ingest", "feed.jsonl"],
        {"KAFKA_BOOTSTRAP_SERVERS": "a:9092,,b:9092"},
        "empty",
    ),
    ("bootstrap bad port", ["worker"], {"KAFKA_BOOTSTRAP_SERVERS": "localhost:99999"}, "not a number from 1"),
    ("bootstrap with scheme", ["worker"], {"KAFKA_BOOTSTRAP_SERVERS": "kafka://k:9092"}, "has a scheme"),
    (
        "no partitions",
        ["worker"],
        {"SITREP_TOPIC_PARTITIONS": "0"},
        "SITREP_TOPIC_PARTITIONS=0 must be at least 1",
    ),
    ("partitions not a number", ["worker"], {"SITREP_TOPIC_PARTITIONS": "four"}, "is not a valid int"),
    ("loud log level", ["classify", "feed.jsonl"], {"SITREP_LOG_LEVEL": "loud"}, "SITREP_LOG_LEVEL='loud'"),
    ("xml log format", ["worker"], {"SITREP_LOG_FORMAT": "xml"}, "SITREP_LOG_FORMAT='xml' is not one of"),
    ("prefix with a space", ["worker"], {"SITREP_TOPIC_PREFIX": "my prefix."}, "(Kafka topic names)"),
    ("web host not here", ["worker"], {"SITREP_WEB_HOST": "192.0.2.1"}, "set SITREP_WEB_HOST to an address"),
    (
        "missing rules file",
        ["worker"],
        {"SITREP_RULES": "missing.yaml"},
        "SITREP_RULES=missing.yaml: no such",
    ),
    (
        "rules not YAML",
        ["worker"],
        {"SITREP_RULES": "broken.yaml"},
        "SITREP_RULES=broken.yaml: not valid YAML",
    ),
    ("rule with bad severity", ["worker"], {"SITREP_RULES": "bad-rule.yaml"}, "rule x: severity must be"),
    ("web port too high", ["worker"], {"SITREP_WEB_PORT": "99999"}, "SITREP_WEB_PORT=99999 is not a port"),
    ("web port flag too high", ["worker", "--web-port", "99999"], {}, "--web-port 99999 is not a port"),
    (
        "unknown compression",
        ["worker"],
        {"SITREP_PRODUCER_COMPRESSION": "brotli"},
        "is not one of none, gzip",
    ),
    ("budget zero", ["worker"], {"SITREP_CLASSIFY_BUDGET_SECONDS": "0"}, "must be more than 0"),
]
if importlib.util.find_spec("cramjam") is None:
    MISTAKES.append(
        ("zstd without cramjam", ["worker"], {"SITREP_PRODUCER_COMPRESSION": "zstd"}, "aiokafka[zstd]")
    )


@pytest.mark.parametrize(("args", "env", "says"), [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES])
def test_a_mistake_is_one_line_and_exit_2(
    files: Path, args: list[str], env: dict[str, str], says: str
) -> None:
    result = run_sitrep(args, env, files)
    assert "Traceback" not in result.stderr
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("sitrep: ")
    assert says in lines[0]
    assert result.stdout == ""


def test_a_port_out_of_range_is_refused_by_the_parser(files: Path) -> None:
    result = run_sitrep(["broker", "start", "--port", "99999"], {}, files)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].endswith("argument --port: '99999' is not a port (1-65535)")


def test_classify_into_a_closed_pipe_stops_quietly_with_the_sigpipe_status(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(f'{{"id": "p{i}", "body": "Russia sent {i} tanks."}}\n' for i in range(2000)))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SITREP_", "KAFKA_"))}
    process = subprocess.Popen(
        [SITREP, "classify", str(feed)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # what `| head -1` does once it has its line
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141
    assert b'"id":"p0"' in first
    assert stderr == ""


def test_a_web_port_another_process_holds_is_one_line_and_exit_2(files: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as holder:
        port = holder.getsockname()[1]
        result = run_sitrep(["worker"], {"SITREP_WEB_PORT": str(port)}, files)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        f"sitrep: SITREP_WEB_HOST:SITREP_WEB_PORT is 127.0.0.1:{port}: cannot listen there (Address already "
        "in use); another process listens there: give each worker on a host its own SITREP_WEB_PORT"
    ]
