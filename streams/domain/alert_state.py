"""What the alert stage's table keeps per rule and group, typed: `AlertState` and its `WindowEntry`s.

Inside the domain and the stage the state is these frozen dataclasses; in the table, and so in its
JSON changelog, it is the plain dict the stage has always written (`to_table` / `from_table`), so a
running worker's state restores across this change. `from_table` is where a changelog value is
checked, and it still reads the older formats: window entries without an outlet (before issue 16),
and states without `first_alert`, `quantity` or `attacker`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# A window entry in the table: [at, claim id, event id, article id, outlet]; older ones have no outlet.
_ENTRY_FIELDS = 5


class AlertStateError(ValueError):
    """A table value that is no alert state (a bug, or a changelog written by hand)."""


def _number(value: Any) -> bool:
    return type(value) is float or type(value) is int  # not bool; exact types: this runs per entry


@dataclass(frozen=True, slots=True)
class WindowEntry:
    """One event a rule counted: when, and the claim, event, article and outlet it came from."""

    at: float
    claim: str | None
    event: str
    article: str
    outlet: str  # "article:<id>" when the event named no outlet: its article stands for one

    @property
    def claim_or_event(self) -> str:
        """What makes two entries distinct claims: the claim, else (no claim id) the event itself."""
        return self.claim or self.event

    @classmethod
    def of(cls, event: Mapping[str, Any], at: float) -> WindowEntry:
        """An event's entry; its outlet is its article's (the claims stage sets it), else the article."""
        article, claim = str(event["article_id"]), event.get("claim_id")
        outlet = str(event.get("outlet") or f"article:{article}")
        return cls(at, None if claim is None else str(claim), str(event["event_id"]), article, outlet)

    def to_table(self) -> list[Any]:
        return [self.at, self.claim, self.event, self.article, self.outlet]

    @classmethod
    def from_table(cls, item: Any) -> WindowEntry:
        """A stored entry; one stored before outlets were counted stands for its article."""
        if type(item) is not list or not _ENTRY_FIELDS - 1 <= len(item) <= _ENTRY_FIELDS:
            raise AlertStateError(f"A window entry is a list of 4 or 5 items, not {item!r}.")
        at, claim, event, article = item[0], item[1], item[2], item[3]
        outlet = item[4] if len(item) == _ENTRY_FIELDS else f"article:{article}"
        if not (_number(at) and type(event) is str and type(article) is str and type(outlet) is str):
            raise AlertStateError(f"A window entry is [at, claim, event, article, outlet], not {item!r}.")
        if claim is not None and type(claim) is not str:
            raise AlertStateError(f"A window entry's claim is a string or null, not {claim!r}.")
        return cls(at, claim, event, article, outlet)


@dataclass(frozen=True, slots=True)
class AlertState:
    """One rule's state for one group: the window's entries, and what it last fired."""

    window: tuple[WindowEntry, ...] = ()
    last_fired: float | None = None  # event time of the last alert; None: never fired
    first_alert: str | None = None  # the alert an update names in `update_of`
    quantity: int | float | None = None  # the figure last alerted, for a toll revised upwards
    attacker: str | None = None  # an incident's attacker, once a report named it (group_by incident)

    def counted(self, window: tuple[WindowEntry, ...]) -> AlertState:
        """The state after an event that fired nothing: only its window moved."""
        return AlertState(window, self.last_fired, self.first_alert, self.quantity, self.attacker)

    def fired(
        self,
        window: tuple[WindowEntry, ...],
        at: float,
        alert_id: str,
        quantity: Any,
        attacker: str | None = None,
    ) -> AlertState:
        """The state after a first alert, which starts the group's suppression."""
        return AlertState(window, at, alert_id, quantity if _number(quantity) else None, attacker)

    def risen(self, window: tuple[WindowEntry, ...], quantity: Any) -> AlertState:
        """The state after an update: the suppression and the first alert stay, the figure moves."""
        number = quantity if _number(quantity) else None
        return AlertState(window, self.last_fired, self.first_alert, number, self.attacker)

    def to_table(self) -> dict[str, Any]:
        """The table's value: a plain dict, as the changelog stores it; unset fields are left out."""
        value: dict[str, Any] = {"window": [entry.to_table() for entry in self.window]}
        for name in ("last_fired", "first_alert", "quantity", "attacker"):
            if (field := getattr(self, name)) is not None:
                value[name] = field
        return value

    @classmethod
    def from_table(cls, value: Any) -> AlertState | None:
        """A table value back into the state (None for a group never seen); refuses what is not one."""
        if value is None:
            return None
        if type(value) is not dict or type(window := value.get("window", [])) is not list:
            raise AlertStateError(f"An alert state is an object with a window list, not {value!r}.")
        last_fired, first_alert, quantity = (
            value.get("last_fired"),
            value.get("first_alert"),
            value.get("quantity"),
        )
        if last_fired is not None and not _number(last_fired):
            raise AlertStateError(f"An alert state's last_fired is a number or null, not {last_fired!r}.")
        if first_alert is not None and type(first_alert) is not str:
            raise AlertStateError(f"An alert state's first_alert is a string or null, not {first_alert!r}.")
        if (attacker := value.get("attacker")) is not None and type(attacker) is not str:
            raise AlertStateError(f"An alert state's attacker is a string or null, not {attacker!r}.")
        return cls(
            tuple([WindowEntry.from_table(item) for item in window]),
            None if last_fired is None else float(last_fired),
            first_alert,
            quantity if _number(quantity) else None,
            attacker,
        )


def counterparts_from_table(value: Any) -> list[str]:
    """The counterparts a rule has seen for an actor (a list of names in the table)."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise AlertStateError(f"Seen counterparts are a list of names, not {value!r}.")
    return value
