"""Workarounds for Faust's at-least-once gaps: each module names the test that found it and the
upstream issue, so that it can be deleted when Faust fixes it."""
