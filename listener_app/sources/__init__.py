"""Sources: one module per kind, each a generator of normalized domain Items page by page, over one
shared HTTP layer (timeouts, retries, Retry-After, per-host delay). No storing: the facade stores pages.

May import: listener_app.domain.
"""
