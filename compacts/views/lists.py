"""The compact lists: configuration over core.lists.FilteredListView."""

from compacts import selectors
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

milestone_list = FilteredListView.as_view(
    title="Milestones",
    intro="Dated steps towards the commitments: due, done or missed.",
    filterset_class=MilestoneFilterSet,
    table_class=MilestoneTable,
    selector=selectors.milestone_list,
    export_name="milestones",
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
