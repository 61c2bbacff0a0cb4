"""Filling an event's fields: parties and roles, systems, quantities, places, sources and time."""
