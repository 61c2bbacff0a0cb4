"""Is a Kafka broker answering? Asked with a real metadata request, since an open port is not readiness.

The one probe: `sitrep broker`, the demo and the e2e fixtures all ask it."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient  # type: ignore[import-untyped]


def free_port() -> int:
    """A port the OS just handed out, for tests and for the controller listener."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    """Cheap pre-check, so closed ports are not reported as errors by aiokafka's logger."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def kafka_answers(bootstrap: str, timeout: float = 3.0, options: Mapping[str, Any] | None = None) -> bool:
    """True when the broker returns cluster metadata that lists at least one broker.

    Runs on a private event loop in a worker thread, so it works whether or not the
    caller is itself inside a running loop (pytest-asyncio, Faust). `options` are aiokafka
    security options (SASL, TLS) for a secured listener.
    """
    servers = [server.strip().rpartition(":") for server in bootstrap.split(",")]
    if not any(port_open(host, int(port)) for host, _, port in servers):
        return False
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _describe(bootstrap, timeout, options or {})).result()


async def _describe(bootstrap: str, timeout: float, options: Mapping[str, Any]) -> bool:
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap, request_timeout_ms=int(timeout * 1000), **options
    )
    try:
        async with asyncio.timeout(timeout + 1):
            await admin.start()
            cluster = await admin.describe_cluster()
        return bool(cluster.get("brokers"))
    except Exception:  # any failure means "not answering yet"; the caller keeps polling
        return False
    finally:
        await admin.close()
