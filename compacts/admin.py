"""Admin for compacts and everything recorded against them. A compact's page carries its
commitments, signatories, participants and grants; a commitment's page its milestones. Every
changelist joins what it shows, so its query count does not grow with the number of rows."""

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from accounts.scope import readable_cities
from compacts.changes import cities_of
from compacts.choices import CATEGORY_TIER
from compacts.models import (
    Activity,
    Commitment,
    Compact,
    Grant,
    Milestone,
    Participant,
    Signatory,
)
from core.admin import HistoryExportAdmin
from core.admin_changes import CityChangesAdmin
from core.lists import EstimatedCountPaginator, reverse_ids


class RecordChangeList(ChangeList):
    """Django's changelist, each row's link to its record reversed once per page rather than
    once per row (core.lists.reverse_ids): the same URL, for records with integer ids."""

    def url_for_result(self, result) -> str:
        return reverse_ids(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            getattr(result, self.pk_attname),
            current_app=self.model_admin.admin_site.name,
        )


class CompactRecordAdmin(CityChangesAdmin, HistoryExportAdmin):
    """Admin writes of a compact's records tell the report caches which cities changed."""

    cities_of = staticmethod(cities_of)

    def get_changelist(self, request, **kwargs):
        return RecordChangeList

    def action_checkbox(self, obj):
        """Django's checkbox of a changelist row (ModelAdmin.action_checkbox), the same markup in
        one format_html: Django renders a form widget's three templates for each row, a quarter
        of the activity changelist's time (issue 16)."""
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )


class CommitmentInline(admin.TabularInline):
    model = Commitment
    fields = ("category", "title", "responsible_party", "status", "target_on", "achieved_on")
    extra = 0
    show_change_link = True


class SignatoryInline(admin.TabularInline):
    model = Signatory
    fields = ("leadership_term", "reaffirmed_on", "reaffirmed_on_precision")
    autocomplete_fields = ("leadership_term",)
    extra = 0
    show_change_link = True


class ParticipantInline(admin.TabularInline):
    model = Participant
    fields = ("organization", "joined_on", "left_on")
    autocomplete_fields = ("organization",)
    extra = 0


class GrantInline(admin.TabularInline):
    model = Grant
    fields = ("funder", "amount", "awarded_on", "months", "purpose")
    autocomplete_fields = ("funder",)
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    fields = ("title", "due_on", "status", "completed_on", "evidence_url")
    extra = 0
    show_change_link = True


@admin.register(Compact)
class CompactAdmin(CompactRecordAdmin):
    list_display = (
        "title",
        "city",
        "signed_on",
        "signed_on_precision",
        "cohort",
        "status",
        "ended_on",
    )
    list_filter = ("status", "cohort", "signed_on_precision", "city__state")
    search_fields = ("title", "city__name", "summary")
    autocomplete_fields = ("city",)
    list_select_related = ("city",)
    date_hierarchy = "signed_on"
    inlines = [CommitmentInline, SignatoryInline, ParticipantInline, GrantInline]


@admin.register(Signatory)
class SignatoryAdmin(CompactRecordAdmin):
    list_display = ("person", "role", "organization", "compact", "reaffirmed_on", "still_in_post")
    list_filter = ("compact__status", "leadership_term__role", "compact__city__state")
    search_fields = (
        "leadership_term__person__full_name",
        "leadership_term__organization__name",
        "compact__title",
        "compact__city__name",
    )
    autocomplete_fields = ("compact", "leadership_term")
    list_select_related = (
        "compact__city",
        "leadership_term__person",
        "leadership_term__organization",
    )
    ordering = ("compact__city__name", "leadership_term__person__full_name")

    @admin.display(description="person", ordering="leadership_term__person__full_name")
    def person(self, obj):
        return obj.leadership_term.person

    @admin.display(description="role", ordering="leadership_term__role")
    def role(self, obj) -> str:
        return obj.leadership_term.get_role_display()

    @admin.display(description="organization", ordering="leadership_term__organization__name")
    def organization(self, obj):
        return obj.leadership_term.organization

    @admin.display(description="still in post", boolean=True)
    def still_in_post(self, obj) -> bool:
        return obj.leadership_term.is_open


@admin.register(Participant)
class ParticipantAdmin(CompactRecordAdmin):
    list_display = ("organization", "kind", "compact", "joined_on", "left_on")
    list_filter = ("organization__kind", "compact__status", "compact__city__state")
    search_fields = ("organization__name", "compact__title", "compact__city__name")
    autocomplete_fields = ("compact", "organization")
    list_select_related = ("organization", "compact__city")
    date_hierarchy = "joined_on"

    @admin.display(description="kind", ordering="organization__kind")
    def kind(self, obj) -> str:
        return obj.organization.get_kind_display()


@admin.register(Commitment)
class CommitmentAdmin(CompactRecordAdmin):
    list_display = (
        "title",
        "compact",
        "category_code",
        "tier",
        "responsible_party",
        "status",
        "target_on",
        "achieved_on",
    )
    list_filter = ("status", "category", "responsible_party", "compact__status", "compact__city")
    search_fields = ("title", "description", "compact__title", "compact__city__name")
    autocomplete_fields = ("compact", "participants")
    list_select_related = ("compact__city",)
    date_hierarchy = "achieved_on"
    inlines = [MilestoneInline]

    @admin.display(description="category", ordering="category")
    def category_code(self, obj) -> str:
        # The code (ENR, FAC ...): the labels are sentences and would crowd the list.
        return obj.category

    @admin.display(description="tier", ordering="category")
    def tier(self, obj) -> str:
        return CATEGORY_TIER[obj.category].label


@admin.register(Milestone)
class MilestoneAdmin(CompactRecordAdmin):
    list_display = (
        "title",
        "commitment",
        "city",
        "due_on",
        "status",
        "completed_on",
        "overdue",
    )
    list_filter = ("status", "commitment__category", "commitment__compact__city")
    search_fields = ("title", "notes", "commitment__title", "commitment__compact__city__name")
    autocomplete_fields = ("commitment",)
    list_select_related = ("commitment__compact__city",)
    date_hierarchy = "due_on"

    @admin.display(description="city", ordering="commitment__compact__city__name")
    def city(self, obj):
        return obj.commitment.compact.city

    @admin.display(description="overdue", boolean=True)
    def overdue(self, obj) -> bool:
        return obj.is_overdue_on(timezone.localdate())


class StateFilter(admin.SimpleListFilter):
    """The states that have a city: the first step to an activity's city (CityFilter). A new
    state drops the city chosen in the previous one."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        # The cached list of cities every page reads (accounts.scope), not a query.
        states = sorted({city["state"] for city in readable_cities(request.user)})
        return [(state, state) for state in states]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(compact__city__state=self.value())
        return queryset

    def choices(self, changelist):
        leave = [self.parameter_name, CityFilter.parameter_name]
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=leave),
            "display": "All",
        }
        for state, label in self.lookup_choices:
            yield {
                "selected": self.value() == state,
                "query_string": changelist.get_query_string(
                    {self.parameter_name: state}, remove=[CityFilter.parameter_name]
                ),
                "display": label,
            }


class CityFilter(admin.SimpleListFilter):
    """The cities of the chosen state (StateFilter), or the one city asked for. Listing every
    city on every page of the largest changelist cost a query and a hundred links a request;
    a state has a handful, and the search box matches city names too."""

    title = "city"
    parameter_name = "city"

    def lookups(self, request, model_admin):
        state, city_id = request.GET.get(StateFilter.parameter_name), self._city_id()
        if not state and city_id is None:
            return []
        return [
            (str(city["id"]), city["name"])
            for city in readable_cities(request.user)
            if city["state"] == state or city["id"] == city_id
        ]

    def _city_id(self) -> int | None:
        value = self.value()
        if value is None:
            return None
        if not value.isdigit():
            raise IncorrectLookupParameters(f"Not a city: {value!r}")
        return int(value)

    def queryset(self, request, queryset):
        city_id = self._city_id()
        if city_id is not None:
            return queryset.filter(compact__city_id=city_id)
        return queryset


@admin.register(Activity)
class ActivityAdmin(CompactRecordAdmin):
    # The largest table (200,000 rows at funder scale), so every part of its changelist is
    # chosen for a page that renders in a few milliseconds. Each row costs its cells and its
    # action checkbox (a form widget template): 25 rows of what finds an activity (title, kind,
    # date, compact with its city); the commitment and attendance are on the change page.
    list_display = ("title", "kind", "occurred_on", "compact")
    list_per_page = 25
    list_select_related = ("compact__city",)
    # Newest first on the (-occurred_on, -id) index, the only sortable column: sorting 200,000
    # rows by title or kind would read the whole table for one page.
    ordering = ("-occurred_on", "-id")
    sortable_by = ("occurred_on",)
    # Dates by the list filter (today, past 7 days, this month, this year: links, no query)
    # rather than date_hierarchy, whose year links cost a DISTINCT over every row and a MIN/MAX
    # query; the city in two steps, state then its cities.
    list_filter = ("kind", ("occurred_on", admin.DateFieldListFilter), StateFilter, CityFilter)
    # A filtered list does not count the whole table again ("Show all" instead of "N total"), and
    # the unfiltered one takes its total from PostgreSQL's statistics, not a COUNT(*).
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    search_fields = ("title", "notes", "compact__title", "compact__city__name")
    autocomplete_fields = ("compact", "commitment")

    def changelist_view(self, request, extra_context=None):
        # Without the sidebar of every model (15 KB, a link and a reverse() each): the largest
        # changelist is for finding one activity; the breadcrumbs lead back to the others.
        return super().changelist_view(
            request, {"is_nav_sidebar_enabled": False, **(extra_context or {})}
        )


@admin.register(Grant)
class GrantAdmin(CompactRecordAdmin):
    list_display = ("funder", "compact", "amount", "awarded_on", "months", "purpose")
    list_filter = ("funder",)
    search_fields = ("funder__name", "compact__title", "compact__city__name", "purpose")
    autocomplete_fields = ("compact", "funder")
    list_select_related = ("funder", "compact__city")
    date_hierarchy = "awarded_on"
