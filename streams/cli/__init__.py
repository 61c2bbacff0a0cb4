"""The `sitrep` command: one module per command, on top of every other layer."""

from streams.cli.main import main

__all__ = ["main"]
