"""A broker's data dir: rendered server.properties, logging config, formatted KRaft storage."""

from __future__ import annotations

import re
import subprocess
from importlib import resources
from pathlib import Path
from string import Template

from streams.broker.report import BrokerError, say
from streams.broker.secure import Security, apply, listener_properties, scram_arguments
from streams.kafka.probe import free_port


def data_file(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text()


def write_config(data_dir: Path, port: int, security: Security | None = None) -> Path:
    """Render server.properties; the controller port is kept once chosen.

    --standalone formatting records the controller endpoint in the metadata log, so
    a restart on the same data dir must come back on the same controller port.
    """
    path = data_dir / "server.properties"
    controller_port = _previous_controller_port(path) or _other_port(port)
    text = Template(data_file("server.properties")).substitute(
        port=port, controller_port=controller_port, log_dir=data_dir / "kraft"
    )
    if security is not None:
        text = apply(text, listener_properties(security, data_dir, port, controller_port))
    path.write_text(text)
    (data_dir / "log4j2.properties").write_text(data_file("log4j2.properties"))
    (data_dir / "logs").mkdir(exist_ok=True)
    return path


def _previous_controller_port(path: Path) -> int | None:
    if not path.is_file():
        return None
    found = re.search(r"CONTROLLER://127\.0\.0\.1:(\d+)", path.read_text())
    return int(found.group(1)) if found else None


def _other_port(port: int) -> int:
    while (candidate := free_port()) == port:
        pass
    return candidate


def format_storage(java: list[str], data_dir: Path, config: Path, security: Security | None = None) -> None:
    """Format once: a second format would be a no-op (--ignore-formatted) that still costs two JVM starts."""
    if (data_dir / "kraft" / "meta.properties").is_file():
        return
    say("formatting storage")
    cluster_id = _tool(java, ["random-uuid"]).strip().splitlines()[-1]
    scram = scram_arguments(security, data_dir) if security is not None else []
    _tool(java, ["format", "-t", cluster_id, "-c", str(config), "--standalone", "--ignore-formatted", *scram])


def _tool(java: list[str], args: list[str]) -> str:
    done = subprocess.run(
        [*java, "kafka.tools.StorageTool", *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BrokerError(f"StorageTool {args[0]} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout
