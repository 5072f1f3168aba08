"""Change history, undo (restore, revert) and backup of the domain records.

Above the domain apps: it knows every tracked model (history.records.REGISTRY) and asks
accounts.scope who may read or change what. Core knows nothing of it, and domain apps do not
import it (one documented exception in pyproject.toml's import contracts).
"""
