"""Message headers of the contract: `sitrep-replay: 1` marks what a replay led to (README, "Replay")."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

REPLAY_HEADER = ("sitrep-replay", b"1")


def replay_marks(
    headers: Mapping[str, bytes] | Iterable[tuple[str, bytes]] | None,
) -> list[tuple[str, bytes]] | None:
    """The replay header for the outputs of an input that carried it (None for live input), so
    that events and alerts raised by a replay are told apart downstream."""
    pairs = headers.items() if isinstance(headers, Mapping) else headers or ()
    return [REPLAY_HEADER] if any(tuple(pair) == REPLAY_HEADER for pair in pairs) else None
