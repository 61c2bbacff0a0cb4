"""The published contracts hang together: AsyncAPI points at real schemas that cover every topic,
and the docker-compose file agrees with the code's defaults."""

from pathlib import Path

import orjson
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from streams.config import Settings
from streams.contracts.topics import TopicNames
from streams.domain.enrichment import Source, process

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


def test_claims_messages_match_their_asyncapi_schema() -> None:
    doc = yaml.safe_load((ROOT / "schemas" / "asyncapi.yaml").read_text())
    schema = doc["components"]["messages"]["claimObservation"]["payload"]["schema"]
    event_schema = orjson.loads((ROOT / "schemas" / "event.schema.json").read_bytes())
    registry = Registry().with_resource("./event.schema.json", Resource.from_contents(event_schema))
    body = "Russia sent 200 tanks to Belarus on Monday. Iran delivered 40 drones to Russia, officials said."
    outcome = process(
        orjson.dumps({"id": "a", "body": body}),
        Source("articles.raw"),
        TopicNames(),
        10**6,
        claim_partitions=4,
    )
    bundles = [o for o in outcome.outputs if o.topic == TopicNames().claims]
    assert bundles
    for bundle in bundles:
        Draft202012Validator(schema, registry=registry).validate(orjson.loads(bundle.value))
