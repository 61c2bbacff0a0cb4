"""Prometheus metrics, Faust's sensor, consumer lag, structured logs."""
