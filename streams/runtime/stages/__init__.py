"""One module per Faust agent, each declaring its own tables: classify, claims, alerts."""
