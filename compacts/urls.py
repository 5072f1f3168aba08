from django.urls import path  # noqa: F401

app_name = "compacts"

# Lists and exports (compacts/views/lists.py).
list_patterns: list = []

# The compact page and the staff forms (compacts/views/records.py).
record_patterns: list = []

# Spreadsheet round trip (compacts/views/spreadsheets.py).
spreadsheet_patterns: list = []

urlpatterns = [*list_patterns, *record_patterns, *spreadsheet_patterns]
