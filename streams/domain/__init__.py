"""What the stages compute, as pure functions: one article's enrichment, claim identity, alert rules,
language. No Faust."""
