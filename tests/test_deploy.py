"""The operator's files: Prometheus config and alert rules pass promtool, and every metric the
rules and the dashboard name is one the worker exports; the image and the compose stack publish on
localhost only, keep their data, check health where the worker listens, and install pinned versions."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
import tomllib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from streams.runtime.observability.metrics import Metrics

ROOT = Path(__file__).resolve().parent.parent
PROMETHEUS = ROOT / "deploy" / "prometheus"
DASHBOARD = ROOT / "deploy" / "grafana" / "dashboards" / "sitrep.json"
METRIC_NAME = re.compile(r"\bsitrep_[a-z_]+")

needs_promtool = pytest.mark.skipif(shutil.which("promtool") is None, reason="apt-get install prometheus")


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["promtool", *args], capture_output=True, text=True, timeout=60, check=False)


@needs_promtool
@pytest.mark.parametrize(
    "args",
    [
        ("check", "config", str(PROMETHEUS / "prometheus.yml")),
        ("check", "rules", str(PROMETHEUS / "alerts.yml")),
        ("test", "rules", str(PROMETHEUS / "alerts.test.yml")),
    ],
    ids=["config", "rules", "rule-tests"],
)
def test_promtool_accepts(args: tuple[str, ...]) -> None:
    result = promtool(*args)
    assert result.returncode == 0, result.stdout + result.stderr


def exported_series() -> set[str]:
    """Every series name the worker can export, with the suffixes Prometheus adds."""
    names: set[str] = set()
    for family in Metrics().registry.collect():
        names.add(family.name)
        suffixes = {"counter": ["_total"], "histogram": ["_bucket", "_count", "_sum"], "info": ["_info"]}
        names.update(family.name + suffix for suffix in suffixes.get(family.type, []))
    return names


def test_rules_and_dashboard_name_only_exported_metrics() -> None:
    exported = exported_series()
    rules = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())
    expressions = [rule["expr"] for group in rules["groups"] for rule in group["rules"]]
    dashboard = json.loads(DASHBOARD.read_text())
    expressions += [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    used = {name for expr in expressions for name in METRIC_NAME.findall(expr)}
    assert used, "the rules and the dashboard should use sitrep metrics"
    assert used <= exported, used - exported


def test_grafana_provisioning_points_at_the_dashboard_folder() -> None:
    provider = yaml.safe_load((ROOT / "deploy/grafana/provisioning/dashboards/sitrep.yml").read_text())
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    mounts = compose["services"]["grafana"]["volumes"]
    folder = provider["providers"][0]["options"]["path"]
    assert any(m.startswith("./deploy/grafana/dashboards:" + folder) for m in mounts)


# The image and the compose stack: ports, volumes, health checks, pins. Docker need not be installed:
# these read the files, and run the health checks' commands against a local HTTP server.

DOCKERFILE = ROOT / "Dockerfile"
LOCK_NAMES = ("requirements.lock", "requirements-dev.lock", "requirements-build.lock")
DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def interpolate(text: str, host_env: dict[str, str]) -> str:
    """What compose makes of a value: $$ is a literal $, ${VAR:-default} and $VAR come from the host."""

    def substitute(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1) or match.group(3)
        return host_env.get(name) or (match.group(2) or "")

    return re.sub(r"\$\$|\$\{(\w+)(?::-([^}]*))?\}|\$(\w+)", substitute, text)


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) per instruction, continuation lines joined, comments dropped."""
    lines = [line for line in DOCKERFILE.read_text().splitlines() if not line.lstrip().startswith("#")]
    joined = "\n".join(lines).replace("\\\n", " ")
    pairs = [line.strip().split(None, 1) for line in joined.splitlines() if line.strip()]
    return [(pair[0].upper(), pair[1] if len(pair) > 1 else "") for pair in pairs]


def test_every_published_port_listens_on_the_hosts_localhost_only() -> None:
    services = compose()["services"]
    published = {name: service.get("ports", []) for name, service in services.items()}
    assert all(published.values()), f"every service publishes a port: {published}"
    for name, ports in published.items():
        for port in ports:
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} beyond localhost"


def test_the_workers_web_port_is_published_and_scraped() -> None:
    worker = compose()["services"]["worker"]
    web_port = worker["environment"]["SITREP_WEB_PORT"]
    assert worker["environment"]["SITREP_WEB_HOST"] == "0.0.0.0", "else no published port reaches it"
    assert [str(port).rsplit(":", 1)[1] for port in worker["ports"]] == [web_port]
    # No host port unless asked for: each replica of `--scale worker=N` gets a free one.
    assert [interpolate(port, {}) for port in worker["ports"]] == [f"127.0.0.1::{web_port}"]
    fixed = {"WORKER_HOST_PORT": "7077"}
    assert [interpolate(port, fixed) for port in worker["ports"]] == [f"127.0.0.1:7077:{web_port}"]
    scrape = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text())
    discovered = [sd for job in scrape["scrape_configs"] for sd in job.get("dns_sd_configs", [])]
    assert {str(sd["port"]) for sd in discovered if "worker" in sd["names"]} == {web_port}


def test_kafka_and_prometheus_keep_their_data_in_named_volumes() -> None:
    stack = compose()
    named = set(stack["volumes"])
    kafka, prometheus = stack["services"]["kafka"], stack["services"]["prometheus"]
    log_dirs = kafka["environment"]["KAFKA_LOG_DIRS"]
    assert f"kafka-data:{log_dirs}" in kafka["volumes"]
    # Storage is formatted once per cluster id: a fixed id lets the next `up` use the formatted volume.
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", kafka["environment"]["CLUSTER_ID"])
    tsdb = [arg.split("=", 1)[1] for arg in prometheus["command"] if arg.startswith("--storage.tsdb.path=")]
    assert tsdb == ["/prometheus"]
    assert "prometheus-data:/prometheus" in prometheus["volumes"]
    assert {"kafka-data", "prometheus-data"} <= named


class _Health(BaseHTTPRequestHandler):
    paths: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.paths.append(self.path)
        self.send_response(200 if self.path == "/healthz" else 404)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test asserts on the paths instead."""


def healthcheck_commands() -> dict[str, str]:
    """The image's and the compose file's health check, as the shell commands that Docker runs."""
    image = [args for name, args in dockerfile_instructions() if name == "HEALTHCHECK"]
    assert len(image) == 1
    assert " CMD " in f" {image[0]} " and not image[0].split(" CMD ", 1)[1].lstrip().startswith("[")
    test = compose()["services"]["worker"]["healthcheck"]["test"]
    assert test[0] == "CMD-SHELL"
    # Compose interpolates the file with the host's environment before the container's shell runs it.
    host_env = {"SITREP_WEB_PORT": "1"}
    return {"image": image[0].split(" CMD ", 1)[1].strip(), "compose": interpolate(test[1], host_env)}


def run_check(command: str, port: int) -> int:
    env = {**os.environ, "SITREP_WEB_PORT": str(port)}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"  # `python` as in the image
    return subprocess.run(["sh", "-c", command], env=env, timeout=30, check=False).returncode


@pytest.mark.parametrize("where", ["image", "compose"])
def test_the_health_check_follows_sitrep_web_port(where: str) -> None:
    command = healthcheck_commands()[where]
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        _Health.paths.clear()
        assert run_check(command, port) == 0
        assert _Health.paths == ["/healthz"]
    finally:
        server.shutdown()
        server.server_close()
    assert run_check(command, port) != 0, "nothing listens there any more: the check must fail"


def test_the_image_declares_the_port_that_its_health_check_defaults_to() -> None:
    env = " ".join(args for name, args in dockerfile_instructions() if name == "ENV")
    exposed = [args for name, args in dockerfile_instructions() if name == "EXPOSE"]
    assert "SITREP_WEB_PORT=6066" in env.split()
    assert exposed == ["6066"]
    assert all("${SITREP_WEB_PORT:-6066}" in command for command in healthcheck_commands().values())


def test_every_image_is_pinned_by_digest_with_its_tag_kept() -> None:
    bases = [args.split()[0] for name, args in dockerfile_instructions() if name == "FROM"]
    images = [service["image"] for service in compose()["services"].values() if "image" in service]
    assert bases and images
    for reference in [*bases, *images]:
        assert DIGEST.search(reference), f"{reference} is not pinned by digest"
        assert re.fullmatch(r"[\w./-]+:[\w.-]+", DIGEST.sub("", reference)), f"{reference} has no tag"
    # The image runs the Python that the locks were resolved for.
    assert bases[0].startswith("python:3.11-slim")
    assert "--python-version 3.11" in (ROOT / "Makefile").read_text()


def pip_installs(commands: list[str]) -> list[list[str]]:
    return [shlex.split(c)[shlex.split(c).index("install") + 1 :] for c in commands if "pip install" in c]


def assert_only_locked_installs(installs: list[list[str]]) -> set[str]:
    """Every install reads a lock with hashes, or installs the project alone; returns the locks used."""
    used: set[str] = set()
    for args in installs:
        if "--no-deps" in args:
            assert args[-1] in {".", "-e ."} or args[-2:] == ["-e", "."], args
            continue
        assert "--require-hashes" in args, args
        used.update(args[i + 1] for i, arg in enumerate(args) if arg == "-r")
    return used


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_the_venv_and_so_ci_install_from_the_locks() -> None:
    dry_run = subprocess.run(
        ["make", "--dry-run", "--always-make", "venv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    installs = pip_installs(dry_run.stdout.splitlines())
    assert len(installs) >= 2, dry_run.stdout
    assert assert_only_locked_installs(installs) == {"requirements-build.lock", "requirements-dev.lock"}
    assert "make venv" in (ROOT / ".ci" / "run").read_text()
    assert "lock:" in (ROOT / "Makefile").read_text().splitlines()


def test_the_image_installs_from_the_locks() -> None:
    runs = [args for name, args in dockerfile_instructions() if name == "RUN"]
    commands = [part for run in runs for part in run.split("&&")]
    installs = pip_installs(commands)
    assert assert_only_locked_installs(installs) == {"requirements-build.lock", "requirements.lock"}
    copied = " ".join(args for name, args in dockerfile_instructions() if name == "COPY")
    assert "requirements.lock" in copied and "requirements-build.lock" in copied


def read_lock(path: Path) -> dict[str, str]:
    """{canonical name: version} of a `uv pip compile --generate-hashes` file; each pin has a hash."""
    pins: dict[str, str] = {}
    for block in re.split(r"\n(?=\S)", path.read_text()):
        first = block.split("\n", 1)[0]
        if first.startswith("#") or not first.strip():
            continue
        requirement = Requirement(first.rstrip(" \\"))
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", first
        assert "--hash=sha256:" in block, f"{requirement.name} has no hash in {path.name}"
        pins[canonicalize_name(requirement.name)] = specifier.version
    return pins


def test_the_locks_pin_every_dependency_that_pyproject_names() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    runtime = pyproject["project"]["dependencies"]
    wanted = {
        "requirements.lock": runtime,
        "requirements-dev.lock": runtime + pyproject["project"]["optional-dependencies"]["dev"],
        "requirements-build.lock": ["pip", *pyproject["build-system"]["requires"]],
    }
    pins = {name: read_lock(ROOT / name) for name in LOCK_NAMES}
    for lock, requirements in wanted.items():
        for line in requirements:
            requirement = Requirement(line)
            version = pins[lock].get(canonicalize_name(requirement.name))
            assert version is not None, f"{requirement.name} is not in {lock}: run make lock"
            assert requirement.specifier.contains(version), (
                f"{lock}: {requirement.name}=={version}; make lock"
            )
    # Tests run the versions that the image ships.
    shared = pins["requirements.lock"].items() & pins["requirements-dev.lock"].items()
    assert shared == pins["requirements.lock"].items()


def alert_rule_tests() -> list[tuple[str, bool]]:
    """(alert name, whether it is expected to fire) for every evaluation in alerts.test.yml."""
    tests = yaml.safe_load((PROMETHEUS / "alerts.test.yml").read_text())["tests"]
    return [
        (case["alertname"], bool(case["exp_alerts"])) for test in tests for case in test["alert_rule_test"]
    ]


def test_every_alert_rule_is_tested_firing_and_not_firing() -> None:
    rules = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())
    names = {rule["alert"] for group in rules["groups"] for rule in group["rules"]}
    assert "SitrepWorkersAbsent" in names
    cases = set(alert_rule_tests())
    assert {(name, True) for name in names} <= cases, "a rule without a firing case"
    assert {(name, False) for name in names} <= cases, "a rule without a not-firing case"


def test_absent_rule_watches_the_scrape_job() -> None:
    config = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text())
    (job,) = [scrape["job_name"] for scrape in config["scrape_configs"]]
    rules = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())
    exprs = {rule["alert"]: rule["expr"] for group in rules["groups"] for rule in group["rules"]}
    assert exprs["SitrepWorkersAbsent"] == f'absent(up{{job="{job}"}})'


def test_scrape_sends_the_token_from_the_file_compose_mounts() -> None:
    config = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text())
    authorization = config["scrape_configs"][0]["authorization"]
    assert authorization["type"] == "Bearer"
    token_file = PROMETHEUS / authorization["credentials_file"]
    assert token_file.read_text() == "", "the shipped token file is empty: no token unless one is set"
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    mounts = compose["services"]["prometheus"]["volumes"]
    assert f"./deploy/prometheus/{authorization['credentials_file']}:/etc/prometheus/" in "".join(mounts)
