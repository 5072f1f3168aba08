"""Tables of the compact lists. Every row links to the compact page, at the record's anchor
(#commitment-<id>, #milestone-<id>, #activity-<id>). Each table names its CSV columns: stable
snake_case headers, codes rather than labels where a choice has both. The cells are written in
each table's template (templates/jinja2/compacts/).

Next to each code, its `<code>_label` column holds the words (issue 15): right after the code,
so a person reading the file sees them together; every earlier column keeps its name, and the
columns keep their order, so a script reading the CSV by header name reads what it read before."""

import django_tables2 as tables
from django.db.models import OuterRef, QuerySet, Subquery

from compacts.choices import (
    CATEGORY_TIER,
    ActivityKind,
    Category,
    CommitmentStatus,
    MilestoneStatus,
    ResponsibleParty,
)
from compacts.models import Activity, Commitment, Milestone
from core.lists import (
    MAIN,
    NUMERIC,
    NUMERIC_WIDE_ONLY,
    WIDE_ONLY,
    DateColumn,
    ExportColumn,
    ListTable,
    StatusColumn,
    label_column,
)


class CommitmentTable(ListTable):
    title = tables.Column("Commitment", order_by=("title", "id"), attrs=MAIN)
    city = tables.Column(
        "City",
        accessor="compact__city__name",
        order_by=("compact__city__name", "compact__signed_on", "compact_id"),
        attrs=WIDE_ONLY,
    )
    category = tables.Column("Category", order_by=("category", "title"), attrs=WIDE_ONLY)
    responsible_party = tables.Column("Responsible", attrs=WIDE_ONLY)
    status = StatusColumn("Status")
    target_on = DateColumn("Target", attrs=WIDE_ONLY)
    achieved_on = DateColumn("Achieved", attrs=WIDE_ONLY)
    overdue_milestones = tables.Column("Overdue", attrs=NUMERIC)

    export_columns = (
        ExportColumn("id"),
        ExportColumn("city", "compact__city__name"),
        ExportColumn("city_slug", "compact__city__slug"),
        ExportColumn("compact_id"),
        ExportColumn("compact", "compact__title"),
        ExportColumn("category"),
        label_column("category", Category),
        ExportColumn(
            "tier", compute=lambda row: CATEGORY_TIER[row["category"]], needs=("category",)
        ),
        ExportColumn(
            "tier_label",
            compute=lambda row: CATEGORY_TIER[row["category"]].label,
            needs=("category",),
        ),
        ExportColumn("title"),
        ExportColumn("description"),
        ExportColumn("responsible_party"),
        label_column("responsible_party", ResponsibleParty),
        ExportColumn("status"),
        label_column("status", CommitmentStatus),
        ExportColumn("target_on"),
        ExportColumn("achieved_on"),
        ExportColumn("overdue_milestones"),
    )

    shown_fields = (
        "compact_id",
        "category",
        "title",
        "responsible_party",
        "status",
        "target_on",
        "achieved_on",
    )
    shown_values = {"compact_title": "compact__title", "city_name": "compact__city__name"}

    class Meta(ListTable.Meta):
        model = Commitment
        fields = ()
        template_name = "compacts/commitment_table.jinja"


class MilestoneTable(ListTable):
    due_on = DateColumn("Due", order_by=("due_on", "id"))
    title = tables.Column("Milestone", order_by=("title", "id"), attrs=MAIN)
    status = StatusColumn("Status")
    completed_on = DateColumn("Completed", order_by=("completed_on", "id"))
    compact = tables.Column(
        "Compact",
        accessor="commitment__compact__title",
        order_by=("commitment__compact__title", "due_on", "id"),
        attrs=WIDE_ONLY,
    )
    city = tables.Column(
        "City",
        accessor="commitment__compact__city__name",
        order_by=("commitment__compact__city__name", "due_on", "id"),
        attrs=WIDE_ONLY,
    )
    evidence_url = tables.Column("Evidence", orderable=False, attrs=WIDE_ONLY)

    export_columns = (
        ExportColumn("id"),
        ExportColumn("city", "commitment__compact__city__name"),
        ExportColumn("city_slug", "commitment__compact__city__slug"),
        ExportColumn("compact_id", "commitment__compact_id"),
        ExportColumn("compact", "commitment__compact__title"),
        ExportColumn("commitment_id"),
        ExportColumn("commitment", "commitment__title"),
        ExportColumn("title"),
        ExportColumn("due_on"),
        ExportColumn("status"),
        label_column("status", MilestoneStatus),
        ExportColumn("overdue"),
        ExportColumn("completed_on"),
        ExportColumn("evidence_url"),
        ExportColumn("notes"),
    )

    shown_fields = (
        "commitment_id",
        "title",
        "status",
        "due_on",
        "completed_on",
        "evidence_url",
    )
    shown_values = {
        "commitment_title": "commitment__title",
        "compact_id": "commitment__compact_id",
        "compact_title": "commitment__compact__title",
        "city_name": "commitment__compact__city__name",
    }

    class Meta(ListTable.Meta):
        model = Milestone
        fields = ()
        template_name = "compacts/milestone_table.jinja"


class ActivityTable(ListTable):
    occurred_on = DateColumn("Date", order_by=("occurred_on", "id"))
    title = tables.Column("Activity", order_by=("title", "id"), attrs=MAIN)
    kind = tables.Column("Kind", order_by=("kind", "-occurred_on", "-id"))
    compact = tables.Column(
        "Compact",
        accessor="compact__title",
        order_by=("compact__title", "-occurred_on", "-id"),
        attrs=WIDE_ONLY,
    )
    city = tables.Column("City", accessor="compact__city__name", orderable=False, attrs=WIDE_ONLY)
    district_attendees = tables.Column(
        "District attendees", attrs=NUMERIC_WIDE_ONLY, order_by=("district_attendees", "id")
    )
    charter_attendees = tables.Column(
        "Charter attendees", attrs=NUMERIC_WIDE_ONLY, order_by=("charter_attendees", "id")
    )

    export_columns = (
        ExportColumn("id"),
        ExportColumn("city", "compact__city__name"),
        ExportColumn("city_slug", "compact__city__slug"),
        ExportColumn("compact_id"),
        ExportColumn("compact", "compact__title"),
        ExportColumn("commitment_id"),
        ExportColumn("commitment", "commitment__title"),
        ExportColumn("kind"),
        label_column("kind", ActivityKind),
        ExportColumn("occurred_on"),
        ExportColumn("title"),
        ExportColumn("district_attendees"),
        ExportColumn("charter_attendees"),
        ExportColumn("notes"),
    )

    shown_fields = (
        "compact_id",
        "commitment_id",
        "kind",
        "occurred_on",
        "title",
        "district_attendees",
        "charter_attendees",
    )
    shown_values = {"compact_title": "compact__title", "city_name": "compact__city__name"}

    class Meta(ListTable.Meta):
        model = Activity
        fields = ()
        template_name = "compacts/activity_table.jinja"
        empty_text = "No activity matches these filters."

    def shown_rows(self, queryset: QuerySet) -> QuerySet:
        """The commitment's title read for the page's rows only: joined, PostgreSQL hashed every
        commitment before sorting a city's thousands of activities for the newest 50."""
        title = Commitment.objects.filter(pk=OuterRef("commitment_id")).order_by().values("title")
        return super().shown_rows(queryset).annotate(commitment_title=Subquery(title))
