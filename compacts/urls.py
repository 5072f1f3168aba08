from django.urls import path  # noqa: F401

from compacts.views import lists, reaffirm, records, spreadsheets

app_name = "compacts"

# Lists and exports (compacts/views/lists.py).
list_patterns: list = [
    path("commitments/", lists.commitment_list, name="commitment_list"),
    path("milestones/", lists.milestone_list, name="milestone_list"),
    path("activities/", lists.activity_list, name="activity_list"),
]

# The compact page and the staff forms (compacts/views/records.py).
record_patterns: list = [
    path("compacts/new/", records.compact_create, name="compact_create"),
    path("compacts/<int:pk>/", records.compact_detail, name="compact"),
    path("compacts/<int:pk>/edit/", records.compact_edit, name="compact_edit"),
    path("compacts/<int:pk>/delete/", records.compact_delete, name="compact_delete"),
    path(
        "compacts/<int:parent_id>/signatories/new/",
        records.signatory_create,
        name="signatory_create",
    ),
    path("signatories/<int:pk>/edit/", records.signatory_edit, name="signatory_edit"),
    path("signatories/<int:pk>/delete/", records.signatory_delete, name="signatory_delete"),
    path(
        "compacts/<int:parent_id>/participants/new/",
        records.participant_create,
        name="participant_create",
    ),
    path("participants/<int:pk>/edit/", records.participant_edit, name="participant_edit"),
    path("participants/<int:pk>/delete/", records.participant_delete, name="participant_delete"),
    path(
        "compacts/<int:parent_id>/commitments/new/",
        records.commitment_create,
        name="commitment_create",
    ),
    path("commitments/<int:pk>/edit/", records.commitment_edit, name="commitment_edit"),
    path("commitments/<int:pk>/delete/", records.commitment_delete, name="commitment_delete"),
    path(
        "commitments/<int:parent_id>/milestones/new/",
        records.milestone_create,
        name="milestone_create",
    ),
    path("milestones/<int:pk>/edit/", records.milestone_edit, name="milestone_edit"),
    path("milestones/<int:pk>/done/", records.milestone_done, name="milestone_done"),
    path("milestones/<int:pk>/delete/", records.milestone_delete, name="milestone_delete"),
    path(
        "compacts/<int:parent_id>/activities/new/",
        records.activity_create,
        name="activity_create",
    ),
    path("activities/<int:pk>/edit/", records.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", records.activity_delete, name="activity_delete"),
    path("compacts/<int:parent_id>/grants/new/", records.grant_create, name="grant_create"),
    path("grants/<int:pk>/edit/", records.grant_edit, name="grant_edit"),
    path("grants/<int:pk>/delete/", records.grant_delete, name="grant_delete"),
    path("leadership/change/", records.leadership_change, name="leadership_change"),
    path("leadership/seat/", records.leadership_seat, name="leadership_seat"),
    path("leadership/terms/<int:pk>/edit/", records.term_edit, name="term_edit"),
]

# Spreadsheet round trip (compacts/views/spreadsheets.py).
spreadsheet_patterns: list = [
    path(
        "compacts/<int:pk>/spreadsheet/",
        spreadsheets.spreadsheet_export,
        name="spreadsheet_export",
    ),
    path(
        "compacts/<int:pk>/spreadsheet/import/",
        spreadsheets.spreadsheet_import,
        name="spreadsheet_import",
    ),
]

# A successor's re-affirmation of a compact (compacts/views/reaffirm.py).
reaffirm_patterns: list = [
    path("signatories/<int:pk>/reaffirm/", reaffirm.signatory_reaffirm, name="signatory_reaffirm"),
]

urlpatterns = [*list_patterns, *record_patterns, *spreadsheet_patterns, *reaffirm_patterns]
