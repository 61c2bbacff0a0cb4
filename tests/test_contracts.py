"""The published contracts hang together: AsyncAPI points at real schemas that cover every topic,
and the docker-compose file agrees with the code's defaults."""

from pathlib import Path

import yaml

from streams.config import Settings
from streams.topics import TopicNames

ROOT = Path(__file__).resolve().parent.parent


def test_asyncapi_describes_every_topic_with_an_existing_schema() -> None:
    doc = yaml.safe_load((ROOT / "schemas" / "asyncapi.yaml").read_text())
    assert doc["asyncapi"].startswith("3.")
    addresses = {channel["address"] for channel in doc["channels"].values()}
    assert addresses == set(TopicNames().all())
    file_refs = [ref for ref in _refs(doc["components"]["messages"]) if not ref.startswith("#")]
    assert len(file_refs) >= len(doc["components"]["messages"])
    for ref in file_refs:
        assert (ROOT / "schemas" / ref).is_file(), ref
    for operation in doc["operations"].values():
        channel_name = operation["channel"]["$ref"].rsplit("/", 1)[1]
        assert channel_name in doc["channels"]


def test_docker_compose_matches_the_code_defaults() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["kafka"]["image"].startswith("apache/kafka:4.")
    worker = services["worker"]
    env = worker["environment"]
    assert env["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
    web_port = int(env.get("SITREP_WEB_PORT", Settings().web_port))
    assert env["SITREP_WEB_HOST"] == "0.0.0.0"
    assert any(str(web_port) in str(port) for port in worker.get("expose", []) + worker.get("ports", []))
    dockerfile = (
        (ROOT / worker["build"]["dockerfile"]).read_text() if isinstance(worker["build"], dict) else ""
    )
    assert "USER" in dockerfile and "USER root" not in dockerfile


def _refs(node: object) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []
