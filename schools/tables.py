"""Tables of the leadership, schools and networks lists, with their CSV columns. The cells are
written in each table's template (templates/jinja2/schools/).

Schools and networks have no page of their own: a network links to the schools list filtered to
it (?network=<slug>); a leadership term links to the compact pages of the compacts it signed.

Next to each code in a CSV, its `<code>_label` column holds the words: compacts/tables.py says
why there."""

import django_tables2 as tables

from accounts.scope import can_edit
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
from schools.choices import EndReason, Grade, LeadershipRole, OperatorType, OrganizationKind
from schools.models import CharterNetwork, CharterSchool, LeadershipTerm


class LeadershipTermTable(ListTable):
    person = tables.Column(
        "Leader", accessor="person__full_name", order_by=("person__full_name",), attrs=MAIN
    )
    role = tables.Column("Role")
    organization = tables.Column(
        "Organization", accessor="organization__name", order_by=("organization__name",)
    )
    organization_kind = tables.Column(
        "Kind", accessor="organization__kind", order_by=("organization__kind",), attrs=WIDE_ONLY
    )
    city = tables.Column("City", accessor="organization__city__name", attrs=WIDE_ONLY)
    started_on = DateColumn("Started", order_by=("started_on", "id"))
    ended_on = DateColumn("Ended", order_by=("ended_on", "id"))
    state = StatusColumn("In post", accessor="ended_on", orderable=False, empty_values=())
    end_reason = tables.Column("Why they left", attrs=WIDE_ONLY)
    signed = tables.Column("Signed", accessor="pk", orderable=False, attrs=WIDE_ONLY)

    export_columns = (
        ExportColumn("id"),
        ExportColumn("person", "person__full_name"),
        ExportColumn("person_id"),
        ExportColumn("role"),
        label_column("role", LeadershipRole),
        ExportColumn("title"),
        ExportColumn("organization_id"),
        ExportColumn("organization", "organization__name"),
        ExportColumn("organization_kind", "organization__kind"),
        label_column("organization_kind", OrganizationKind, "organization__kind"),
        ExportColumn("city", "organization__city__name"),
        ExportColumn("city_slug", "organization__city__slug"),
        ExportColumn("started_on"),
        ExportColumn("ended_on"),
        ExportColumn("end_reason"),
        label_column("end_reason", EndReason),
        ExportColumn("in_post", compute=lambda term: term.is_open),
        ExportColumn(
            "signed_compact_ids",
            compute=lambda term: " ".join(str(s.compact_id) for s in term.scoped_signatures),
        ),
        ExportColumn("source_url"),
    )

    # The signed compacts are prefetched, which values() rows cannot carry.
    export_values = False

    class Meta(ListTable.Meta):
        model = LeadershipTerm
        fields = ()
        template_name = "schools/leadership_table.jinja"
        empty_text = "No leadership term matches these filters."

    def may_correct(self, record) -> bool:
        """Whether to link the term's correction page: for editors of its organization's city;
        without a city, of a city whose compact its seat signed (the page itself applies the
        whole rule, accounts.scope.can_edit_seat)."""
        request = getattr(self, "request", None)
        if request is None:
            return False
        if record.organization.city_id is not None:
            return can_edit(request.user, record.organization.city_id)
        return record.in_edit_scope


class SchoolTable(ListTable):
    name = tables.Column("School", attrs=MAIN)
    city = tables.Column("City", accessor="city__name", order_by=("city__name", "name"))
    network = tables.Column(
        "Network",
        accessor="network__name",
        order_by=("network__name", "name"),
        default="Independent",
    )
    district = tables.Column("District", accessor="district__name", attrs=WIDE_ONLY)
    grades = tables.Column("Grades", accessor="grade_low", orderable=False)
    nces_school_id = tables.Column("NCES ID", attrs=WIDE_ONLY)
    enrollment = tables.Column("Enrollment", attrs=NUMERIC_WIDE_ONLY)
    is_open = tables.BooleanColumn(verbose_name="Open", yesno="Open,Closed")
    participating = tables.BooleanColumn(verbose_name="Taking part", yesno="Yes,No")

    export_columns = (
        ExportColumn("id"),
        ExportColumn("name"),
        ExportColumn("nces_school_id"),
        ExportColumn("city", "city__name"),
        ExportColumn("city_slug", "city__slug"),
        ExportColumn("network", "network__name"),
        ExportColumn("network_slug", "network__slug"),
        ExportColumn(
            "independent", compute=lambda row: row["network_id"] is None, needs=("network_id",)
        ),
        ExportColumn("district", "district__name"),
        ExportColumn("district_leaid", "district__nces_leaid"),
        ExportColumn("grade_low"),
        label_column("grade_low", Grade),
        ExportColumn("grade_high"),
        label_column("grade_high", Grade),
        ExportColumn("opened_year"),
        ExportColumn("enrollment"),
        ExportColumn("is_open"),
        ExportColumn("participating"),
    )

    class Meta(ListTable.Meta):
        model = CharterSchool
        fields = ()
        template_name = "schools/school_table.jinja"
        empty_text = "No school matches these filters."


class NetworkTable(ListTable):
    name = tables.Column("Network", attrs=MAIN)
    operator_type = tables.Column("Operator type")
    headquarters_state = tables.Column("HQ state", attrs=WIDE_ONLY)
    city = tables.Column("City", accessor="city__name", attrs=WIDE_ONLY)
    school_count = tables.Column("Schools", attrs=NUMERIC)
    open_school_count = tables.Column("Open schools", attrs=NUMERIC)
    website = tables.Column("Website", orderable=False, attrs=WIDE_ONLY)

    export_columns = (
        ExportColumn("id"),
        ExportColumn("name"),
        ExportColumn("slug"),
        ExportColumn("operator_type"),
        label_column("operator_type", OperatorType),
        ExportColumn("headquarters_state"),
        ExportColumn("city", "city__name"),
        ExportColumn("city_slug", "city__slug"),
        ExportColumn("school_count"),
        ExportColumn("open_school_count"),
        ExportColumn("website"),
    )

    class Meta(ListTable.Meta):
        model = CharterNetwork
        fields = ()
        template_name = "schools/network_table.jinja"
        empty_text = "No network matches these filters."
