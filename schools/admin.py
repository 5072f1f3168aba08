"""Admin for reference data: cities, organizations (districts, networks, charter schools), people
and their leadership terms. Every changelist joins what it shows, so its query count does not
grow with the number of rows."""

from django.contrib import admin
from django.db.models import Count, Q
from django.utils import timezone

from core.admin import HistoryExportAdmin
from core.admin_changes import CityChangesAdmin
from schools.admin_import import DistrictImportMixin, SchoolImportMixin
from schools.changes import cities_of
from schools.models import (
    CharterNetwork,
    CharterSchool,
    City,
    District,
    LeadershipTerm,
    Organization,
    Person,
)


class SchoolRecordAdmin(CityChangesAdmin, HistoryExportAdmin):
    """Admin writes of school records tell the report caches which cities changed."""

    cities_of = staticmethod(cities_of)


class OpenTermFilter(admin.SimpleListFilter):
    """A term is open while ended_on is empty or in the future (DESIGN.md)."""

    title = "in post"
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("yes", "In post"), ("no", "Ended")]

    def queryset(self, request, queryset):
        open_q = Q(ended_on__isnull=True) | Q(ended_on__gt=timezone.localdate())
        if self.value() == "yes":
            return queryset.filter(open_q)
        if self.value() == "no":
            return queryset.exclude(open_q)
        return queryset


class IndependentFilter(admin.SimpleListFilter):
    title = "independent"
    parameter_name = "independent"

    def lookups(self, request, model_admin):
        return [("yes", "Independent (no network)"), ("no", "In a network")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(network__isnull=self.value() == "yes")
        return queryset


class LeadershipTermInline(admin.TabularInline):
    """The terms held in an organization's seats, oldest first."""

    model = LeadershipTerm
    fk_name = "organization"
    fields = (
        "person",
        "role",
        "title",
        "started_on",
        "ended_on",
        "date_precision",
        "end_reason",
        "source_url",
    )
    autocomplete_fields = ("person",)
    extra = 0
    show_change_link = True
    ordering = ("role", "started_on")


class PersonTermInline(LeadershipTermInline):
    """The seats a person held."""

    fk_name = "person"
    fields = (
        "organization",
        "role",
        "title",
        "started_on",
        "ended_on",
        "date_precision",
        "end_reason",
        "source_url",
    )
    autocomplete_fields = ("organization",)
    ordering = ("started_on",)


@admin.register(City)
class CityAdmin(SchoolRecordAdmin):
    list_display = ("name", "state", "slug", "time_zone", "compact_count", "updated_at")
    list_filter = ("state",)
    search_fields = ("name", "slug", "state")
    ordering = ("name", "state")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(compact_count=Count("compacts"))

    @admin.display(description="compacts", ordering="compact_count")
    def compact_count(self, obj) -> int:
        return obj.compact_count


@admin.register(Organization)
class OrganizationAdmin(SchoolRecordAdmin):
    """Every organization, whatever its kind; districts, networks and schools also have their
    own pages for the fields only they have."""

    list_display = ("name", "kind", "city", "website", "updated_at")
    list_filter = ("kind", "city__state")
    search_fields = ("name", "city__name")
    autocomplete_fields = ("city",)
    list_select_related = ("city",)
    inlines = [LeadershipTermInline]


# The kind of a district, network or school is set by the model itself.
SUBTYPE_EXCLUDE = ("kind",)


@admin.register(District)
class DistrictAdmin(DistrictImportMixin, SchoolRecordAdmin):
    list_display = ("name", "nces_leaid", "city", "is_charter_lea", "updated_at")
    list_filter = ("is_charter_lea", "city__state")
    search_fields = ("name", "nces_leaid", "city__name")
    autocomplete_fields = ("city",)
    list_select_related = ("city",)
    exclude = SUBTYPE_EXCLUDE
    inlines = [LeadershipTermInline]


@admin.register(CharterNetwork)
class CharterNetworkAdmin(SchoolRecordAdmin):
    list_display = ("name", "slug", "operator_type", "headquarters_state", "school_count")
    list_filter = ("operator_type", "headquarters_state")
    search_fields = ("name", "slug")
    autocomplete_fields = ("city",)
    prepopulated_fields = {"slug": ("name",)}
    exclude = SUBTYPE_EXCLUDE
    inlines = [LeadershipTermInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(school_count=Count("schools"))

    @admin.display(description="schools", ordering="school_count")
    def school_count(self, obj) -> int:
        return obj.school_count


@admin.register(CharterSchool)
class CharterSchoolAdmin(SchoolImportMixin, SchoolRecordAdmin):
    list_display = (
        "name",
        "nces_school_id",
        "city",
        "district",
        "network",
        "grades",
        "is_open",
    )
    list_filter = ("is_open", IndependentFilter, "network", "city__state")
    search_fields = ("name", "nces_school_id", "city__name", "network__name")
    autocomplete_fields = ("city", "district", "network")
    list_select_related = ("city", "district", "network")
    exclude = SUBTYPE_EXCLUDE
    inlines = [LeadershipTermInline]

    @admin.display(description="grades")
    def grades(self, obj) -> str:
        return "–".join(grade for grade in (obj.grade_low, obj.grade_high) if grade)


@admin.register(Person)
class PersonAdmin(SchoolRecordAdmin):
    list_display = ("full_name", "email", "term_count", "updated_at")
    search_fields = ("full_name", "email")
    inlines = [PersonTermInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(term_count=Count("leadership_terms"))

    @admin.display(description="terms", ordering="term_count")
    def term_count(self, obj) -> int:
        return obj.term_count


@admin.register(LeadershipTerm)
class LeadershipTermAdmin(SchoolRecordAdmin):
    list_display = (
        "person",
        "organization",
        "role",
        "title",
        "started_on",
        "ended_on",
        "date_precision",
        "end_reason",
    )
    list_filter = (OpenTermFilter, "role", "organization__kind", "end_reason", "date_precision")
    search_fields = ("person__full_name", "organization__name", "title")
    autocomplete_fields = ("person", "organization")
    list_select_related = ("person", "organization")
    date_hierarchy = "started_on"
    ordering = ("organization__name", "role", "started_on")
