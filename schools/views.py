"""The leadership, schools and networks lists: configuration over core.lists.FilteredListView."""

from core.lists import FilteredListView
from schools import selectors
from schools.filters import LeadershipTermFilterSet, NetworkFilterSet, SchoolFilterSet
from schools.tables import LeadershipTermTable, NetworkTable, SchoolTable

leadership_list = FilteredListView.as_view(
    title="Leadership",
    intro="Who held each seat and when they left: the leaders who sign compacts, and successors.",
    filterset_class=LeadershipTermFilterSet,
    table_class=LeadershipTermTable,
    selector=selectors.leadership_term_list,
    export_name="leadership",
)

school_list = FilteredListView.as_view(
    title="Charter schools",
    intro="Reference data: each charter school, its network, and whether it takes part today.",
    filterset_class=SchoolFilterSet,
    table_class=SchoolTable,
    selector=selectors.school_list,
    export_name="schools",
)

network_list = FilteredListView.as_view(
    title="Charter networks",
    intro="Reference data: charter management and education management organizations.",
    filterset_class=NetworkFilterSet,
    table_class=NetworkTable,
    selector=selectors.network_list,
    export_name="networks",
)
