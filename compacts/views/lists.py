"""The compact lists: configuration over core.lists.FilteredListView."""

from django.db.models import Case, F, IntegerField, Value, When

from compacts import selectors
from compacts.choices import OPEN_MILESTONE_STATUSES
from compacts.filters import ActivityFilterSet, CommitmentFilterSet, MilestoneFilterSet
from compacts.tables import ActivityTable, CommitmentTable, MilestoneTable
from core.lists import FilteredListView

commitment_list = FilteredListView.as_view(
    title="Commitments",
    intro="What each compact promised, and where it stands.",
    filterset_class=CommitmentFilterSet,
    table_class=CommitmentTable,
    selector=selectors.commitment_list,
    export_name="commitments",
)

# Next due first: what program staff still have to do comes first, the most pressing on top. Open
# milestones (planned, in progress) by due date, so the overdue ones lead, then the coming ones;
# then the rest (done, missed, deferred), the most recently due first, since the latest outcomes
# are the ones asked about. The API keeps the selector's plain due-date order.
_open_first = Case(
    When(status__in=OPEN_MILESTONE_STATUSES, then=Value(0)),
    default=Value(1),
    output_field=IntegerField(),
)
_due_if_open = Case(When(status__in=OPEN_MILESTONE_STATUSES, then=F("due_on")), default=None)
NEXT_DUE_FIRST = (_open_first, _due_if_open.asc(), F("due_on").desc(), "id")

milestone_list = FilteredListView.as_view(
    title="Milestones",
    intro=(
        "Dated steps towards the commitments: due, done or missed. Next due first: open "
        "milestones by due date (overdue ones on top), then the others, latest due first."
    ),
    filterset_class=MilestoneFilterSet,
    table_class=MilestoneTable,
    selector=selectors.milestone_list,
    export_name="milestones",
    default_order=NEXT_DUE_FIRST,
)

# The largest table: paged without counting it (Previous / Next).
activity_list = FilteredListView.as_view(
    title="Activities",
    intro="What the compacts' parties did together, newest first.",
    filterset_class=ActivityFilterSet,
    table_class=ActivityTable,
    selector=selectors.activity_list,
    export_name="activities",
    lazy_pages=True,
)
