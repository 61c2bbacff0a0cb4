"""Settings -> Faust's broker credentials: the SASL / TLS of the CLI's clients (kafka/security.py)."""

from __future__ import annotations

import faust

from streams.config import Settings
from streams.kafka.security import ssl_context


def faust_credentials(settings: Settings) -> faust.SASLCredentials | faust.SSLCredentials | None:
    """The same security as Faust's `broker_credentials` (used by its consumer, producer and admin)."""
    protocol = settings.security_protocol
    if protocol == "SSL":
        return faust.SSLCredentials(ssl_context(settings))
    if protocol.startswith("SASL_"):
        return faust.SASLCredentials(
            username=settings.sasl_username,
            password=settings.sasl_password,
            ssl_context=ssl_context(settings) if protocol == "SASL_SSL" else None,
            mechanism=settings.sasl_mechanism,
        )
    return None
