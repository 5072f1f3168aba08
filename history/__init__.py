"""Change history, undo (restore, revert) and backup of the domain records.

Above the domain apps: it knows every tracked model (history.records.REGISTRY) and asks
accounts.scope who may read or change what. Domain apps do not import it; core knows nothing of it.
"""
