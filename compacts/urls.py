from django.urls import path  # noqa: F401

from compacts.views import lists

app_name = "compacts"

# Lists and exports (compacts/views/lists.py).
list_patterns: list = [
    path("commitments/", lists.commitment_list, name="commitment_list"),
    path("milestones/", lists.milestone_list, name="milestone_list"),
    path("activities/", lists.activity_list, name="activity_list"),
]

# The compact page and the staff forms (compacts/views/records.py).
record_patterns: list = []

# Spreadsheet round trip (compacts/views/spreadsheets.py).
spreadsheet_patterns: list = []

urlpatterns = [*list_patterns, *record_patterns, *spreadsheet_patterns]
