"""A local Apache Kafka 4.x broker for development and tests, without Docker.

Jars come from Maven Central once (cached under $SITREP_HOME, default ~/.sitrep);
each broker is a single-node KRaft JVM with its own data dir and pid file.
"""

from streams.broker.fetch import ensure_jars, kafka_version, sitrep_home
from streams.broker.process import BrokerStatus, start, status, stop
from streams.broker.report import BrokerError
from streams.broker.secure import TlsFiles
from streams.kafka.probe import free_port, kafka_answers

__all__ = [
    "BrokerError",
    "BrokerStatus",
    "TlsFiles",
    "ensure_jars",
    "free_port",
    "kafka_answers",
    "kafka_version",
    "sitrep_home",
    "start",
    "status",
    "stop",
]
