"""The portfolio's filters: cohort, state and health, as GET parameters read by a FilterSet whose
choices are the reader's own cities'.

A cohort is a compact's (Compact.cohort, e.g. "2010-12": the round of compacts signed together;
DESIGN.md), and a city has no cohort field of its own: a city belongs to every cohort one of its
compacts, of whatever status, belongs to, so a city whose compact was superseded still shows under
the cohort it started in. Health is not stored: the view hands the FilterSet the health of each
city from its figures, and the filter keeps the cities with the one asked for.

Filters that cannot be read are never ignored (as on every list): the page names them and shows
no rows, and an export answers 400.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from core.lists import ListFilterForm, choice_filter
from reports.figures import AMBER, GREEN, RED
from schools.models import City

NO_LIVE_COMPACT = "none"
HEALTH_CHOICES = [
    (RED, "At risk"),
    (AMBER, "Needs attention"),
    (GREEN, "On track"),
    (NO_LIVE_COMPACT, "No live compact"),
]
FIELDS = ("cohort", "state", "health")


class PortfolioFilterSet(django_filters.FilterSet):
    # "2011-12" under "Cohort" read as a school year (phone review): it names the round of
    # compacts signed together.
    cohort = choice_filter("Compact cohort", field_name="compacts__cohort", distinct=True)
    state = choice_filter("State", field_name="state")
    health = choice_filter("Health", HEALTH_CHOICES, method="filter_health")

    class Meta:
        model = City
        fields: list = []
        form = ListFilterForm

    def __init__(self, data, *, cities: list[dict], cohorts, health_of: dict | None = None):
        """`cities`: the reader's (from cities_in_scope); `cohorts`: every cohort of their
        compacts; `health_of`: city id -> colour ("" without a live compact), needed only to
        filter, not to read the form."""
        ids = [city["id"] for city in cities]
        super().__init__(data, queryset=City.objects.filter(pk__in=ids))
        self.health_of = health_of or {}
        for filter_ in self.filters.values():
            # Each FilterSet builds its fields with its reader's choices (see core.lists).
            filter_.__dict__.pop("_field", None)
        states = sorted({city["state"] for city in cities})
        self.filters["state"].extra["choices"] = [(code, code) for code in states]
        self.filters["cohort"].extra["choices"] = [(cohort, cohort) for cohort in cohorts]

    def filter_health(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        wanted = "" if value == NO_LIVE_COMPACT else value
        return queryset.filter(
            pk__in=[city_id for city_id, colour in self.health_of.items() if colour == wanted]
        )

    @property
    def active(self) -> dict[str, str]:
        """The filters set, as read (only when valid): what the page's cache key and its links
        carry."""
        if not self.is_valid():
            return {}
        read = self.form.cleaned_data
        return {name: read[name] for name in FIELDS if read[name]}

    def described(self) -> list[tuple[str, str]]:
        """(filter, choice) in words for each filter set, e.g. ("Health", "At risk")."""
        return [
            (str(self.form.fields[name].label), str(dict(self.form.fields[name].choices)[value]))
            for name, value in self.active.items()
        ]

    def errors_list(self) -> list[tuple[str, str, list[str]]]:
        return [
            (name, str(self.form.fields[name].label), [str(error) for error in errors])
            for name, errors in self.form.errors.items()
        ]

    def matching_ids(self) -> set[int] | None:
        """The ids of the cities the filters keep (one query), or None when none is set."""
        if not self.active:
            return None
        return set(self.qs.values_list("pk", flat=True))
