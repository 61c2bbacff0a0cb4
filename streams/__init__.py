"""Sitrep: a streaming processor that turns conflict news into typed military events."""

__version__ = "0.1.0"
