"""Sources: one module per kind, each a generator of normalized items."""
