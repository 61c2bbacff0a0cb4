"""Plain aiokafka clients: security options, topic set-up, the cluster, `sitrep topics`."""
