"""Reads of compact records, always through the user's scope (accounts.scope)."""

# --- list selectors (filterable lists) ---


# --- record getters and the compact page (staff workflow) ---
