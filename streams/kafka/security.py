"""Settings -> Kafka security: aiokafka options (Faust credentials: streams/runtime/credentials.py).

One translation for every client, so the worker, the CLI and the demo never disagree on
how to reach a secured broker; a PLAINTEXT setting yields nothing, i.e. aiokafka's defaults.
"""

from __future__ import annotations

import contextlib
import ssl
from typing import Any

from aiokafka.conn import create_conn  # type: ignore[import-untyped]
from aiokafka.errors import KafkaConnectionError, KafkaError  # type: ignore[import-untyped]

from streams.config import Settings


def ssl_context(settings: Settings) -> ssl.SSLContext:
    """Verifies the broker (hostname included) against KAFKA_SSL_CAFILE, else the system CAs."""
    cafile = str(settings.ssl_cafile) if settings.ssl_cafile else None
    context = ssl.create_default_context(cafile=cafile)
    if settings.ssl_certfile:  # mutual TLS: the broker asks for our certificate
        keyfile = str(settings.ssl_keyfile) if settings.ssl_keyfile else None
        context.load_cert_chain(str(settings.ssl_certfile), keyfile)
    return context


def kafka_options(settings: Settings | None = None) -> dict[str, Any]:
    """Keyword arguments for any aiokafka client; None reads the environment (the CLI passes only
    a bootstrap address to its clients)."""
    settings = settings if settings is not None else Settings.from_env()
    protocol = settings.security_protocol
    if protocol == "PLAINTEXT":
        return {}
    options: dict[str, Any] = {"security_protocol": protocol}
    if protocol in ("SSL", "SASL_SSL"):
        options["ssl_context"] = ssl_context(settings)
    if protocol.startswith("SASL_"):
        options |= {
            "sasl_mechanism": settings.sasl_mechanism,
            "sasl_plain_username": settings.sasl_username,
            "sasl_plain_password": settings.sasl_password,
        }
    return options


async def connection_problem(bootstrap: str, options: dict[str, Any]) -> str:
    """Why a client could not bootstrap: aiokafka only logs the cause, so connect once more and say it."""
    reasons = []
    for server in bootstrap.split(","):
        host, _, port = server.strip().rpartition(":")
        try:
            conn = await create_conn(host, int(port), request_timeout_ms=5000, **options)
        except ssl.SSLCertVerificationError as exc:
            reasons.append(f"{server}: TLS certificate verification failed ({exc.verify_message})")
        except ssl.SSLError as exc:
            reasons.append(f"{server}: TLS handshake failed ({exc})")
        except KafkaError as exc:
            failed = "authentication failed" if "Authentication" in type(exc).__name__ else "refused"
            reasons.append(f"{server}: {failed} ({exc})")
        except (OSError, TimeoutError) as exc:
            reasons.append(f"{server}: cannot connect ({exc or type(exc).__name__})")
        else:
            conn.close()
            reasons.append(f"{server}: connects now")
    return "; ".join(reasons)


async def start_client(client: Any, bootstrap: str, options: dict[str, Any]) -> None:
    """Start an aiokafka client; when it cannot bootstrap, exit saying why (bad password, unknown CA)."""
    try:
        await client.start()
    except KafkaConnectionError:
        close = client.stop if hasattr(client, "stop") else client.close  # the admin client has close()
        with contextlib.suppress(Exception):
            await close()
        problem = await connection_problem(bootstrap, options)
        raise SystemExit(f"sitrep: cannot use Kafka at {bootstrap}: {problem}") from None
