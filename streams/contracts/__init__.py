"""What crosses a topic: message records, topic names, headers. No Faust, no Kafka client."""
