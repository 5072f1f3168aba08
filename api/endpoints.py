"""The REST API's views: reads through the selectors and accounts.scope (an outsider gets 404 for
another city's record, as on the pages), writes through the pages' forms and services
(api.writes), figures from the report cache.

Thin by design: each view names its selector, its serializer and, for writes, the RecordKind of
compacts.views.records that the pages use.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from accounts.scope import (
    editable_cities,
    readable_cities,
    require_editor,
    scope_queryset,
    shared_organizations,
    terms_in_edit_scope,
    visible_cities,
)
from api import examples, serializers, writes
from compacts import selectors as compact_selectors
from compacts import services as compact_services
from compacts.filters import ActivityFilterSet, CommitmentFilterSet, MilestoneFilterSet
from compacts.forms import MilestoneDoneForm
from compacts.models import Compact, Grant, Participant, Signatory
from compacts.views.records import ACTIVITY, COMMITMENT, MILESTONE
from reports import cache as report_cache
from reports import selectors as report_selectors
from schools import selectors as school_selectors
from schools.filters import LeadershipTermFilterSet
from schools.forms import LeadershipChangeForm
from schools.models import LeadershipTerm, Organization
from schools.services import leadership_change, leadership_departure

NOT_FOUND = {404: None}
CITY_PARAM = OpenApiParameter("city", str, description="A city's slug: only its records.")


def _filtered(selector, request, **kwargs) -> QuerySet:
    """A list selector with the page's filters (compacts/filters.py) from the query string;
    an invalid filter answers 400 naming it."""
    try:
        return selector(user=request.user, filters=request.query_params, **kwargs)
    except ValidationError as error:
        raise ApiValidationError(error.message_dict) from None


class SelectorFilters(DjangoFilterBackend):
    """Puts the list's FilterSet (the page's query parameters) in the schema. The selector
    applies it, with the user's scope, so this backend leaves the queryset alone."""

    def filter_queryset(self, request, queryset, view):
        return queryset


def _by_city(queryset: QuerySet, request, city_path: str) -> QuerySet:
    slug = request.query_params.get("city")
    return queryset.filter(**{f"{city_path}__slug": slug}) if slug else queryset


class ReadViewSet(viewsets.ReadOnlyModelViewSet):
    """A scoped list and its records by id: outside the user's scope a record does not exist."""

    lookup_value_regex = "[0-9]{1,19}"

    def get_object(self):
        record = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if record is None:
            raise Http404("No such record.")
        return record


@extend_schema_view(
    list=extend_schema(summary="Cities you may read", examples=[examples.CITY]),
    retrieve=extend_schema(
        summary="A city",
        examples=[examples.CITY],
        responses={200: serializers.CitySerializer, **NOT_FOUND},
    ),
)
class CityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.CitySerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_queryset(self):
        return visible_cities(self.request.user).order_by()

    def get_serializer_context(self):
        roles = {city["id"]: city["role"] for city in readable_cities(self.request.user)}
        return {**super().get_serializer_context(), "roles": roles}

    @extend_schema(
        summary="A city's figures and health",
        description="The numbers of /reports/ and the city dashboard, from the same cache: "
        "every compact with its figures, the live compacts' figures together, charter "
        "participation and health. Ratios are numerator and denominator (0: not applicable).",
        responses={200: OpenApiTypes.OBJECT, **NOT_FOUND},
        examples=[examples.FIGURES],
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def figures(self, request, slug=None):
        city = report_selectors.city_in_scope(request.user, slug)
        (figures,) = report_cache.city_figures_list(user=request.user, cities=[city])
        return Response(serializers.CityFiguresSerializer(figures).data)


@extend_schema_view(
    list=extend_schema(
        summary="Organizations of your cities",
        description="Those of your cities, and those without a city (networks, funders, "
        "associations) that take part in, fund or signed a compact of one of them.",
        parameters=[CITY_PARAM, OpenApiParameter("kind", str)],
        examples=[examples.ORGANIZATION],
    ),
    retrieve=extend_schema(summary="An organization", examples=[examples.ORGANIZATION]),
)
class OrganizationViewSet(ReadViewSet):
    serializer_class = serializers.OrganizationSerializer

    def get_queryset(self):
        user = self.request.user
        own = scope_queryset(Organization.objects.all(), user).values("pk")
        shared = shared_organizations(visible_cities(user).order_by().values("pk"))
        queryset = Organization.objects.filter(Q(pk__in=own) | Q(pk__in=shared))
        queryset = _by_city(queryset.select_related("city"), self.request, "city")
        kind = self.request.query_params.get("kind")
        return queryset.filter(kind=kind) if kind else queryset


@extend_schema_view(
    list=extend_schema(
        summary="Leadership terms",
        description="Terms at your cities' organizations and at the seats that signed their "
        "compacts; the filters of /leadership/.",
        examples=[examples.TERM],
    ),
    retrieve=extend_schema(summary="A leadership term", examples=[examples.TERM]),
)
class LeadershipTermViewSet(ReadViewSet):
    serializer_class = serializers.LeadershipTermSerializer
    filter_backends = [SelectorFilters]
    filterset_class = LeadershipTermFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema asks for the model only
            return LeadershipTerm.objects.none()
        if self.action == "retrieve":
            term = school_selectors.leadership_term_get(
                user=self.request.user, pk=self.kwargs["pk"]
            )
            return LeadershipTerm.objects.filter(pk=term.pk).select_related(
                "person", "organization"
            )
        return _filtered(school_selectors.leadership_term_list, self.request).prefetch_related(None)


@extend_schema_view(
    list=extend_schema(
        summary="Compacts, with signatories and participants",
        parameters=[CITY_PARAM],
        examples=[examples.COMPACT],
    ),
    retrieve=extend_schema(summary="A compact", examples=[examples.COMPACT]),
)
class CompactViewSet(ReadViewSet):
    serializer_class = serializers.CompactSerializer

    def get_queryset(self):
        queryset = scope_queryset(Compact.objects.all(), self.request.user, "city")
        return (
            _by_city(queryset, self.request, "city")
            .select_related("city")
            .prefetch_related(
                Prefetch(
                    "signatories",
                    queryset=Signatory.objects.select_related(
                        "leadership_term__person", "leadership_term__organization"
                    ).order_by("id"),
                ),
                Prefetch(
                    "participants",
                    queryset=Participant.objects.select_related("organization").order_by("id"),
                ),
            )
        )


@extend_schema_view(
    list=extend_schema(summary="Grants", parameters=[CITY_PARAM], examples=[examples.GRANT]),
    retrieve=extend_schema(summary="A grant", examples=[examples.GRANT]),
)
class GrantViewSet(ReadViewSet):
    serializer_class = serializers.GrantSerializer

    def get_queryset(self):
        queryset = scope_queryset(Grant.objects.all(), self.request.user, "compact__city")
        return _by_city(queryset, self.request, "compact__city").select_related(
            "compact__city", "funder"
        )


class RecordViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadViewSet):
    """Records editors change: reads through the list selector (with the page's filters),
    writes through the pages' forms and services (`kind`). PUT is not offered: a change names
    the fields it changes, and its `version`."""

    kind = None
    selector = None
    filter_backends = [SelectorFilters]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if self.action == "list":
            return _filtered(self.selector, self.request)
        return self.selector(user=self.request.user)

    def _serialize(self, record) -> dict:
        fresh = self.selector(user=self.request.user).filter(pk=record.pk).first()
        return self.get_serializer(fresh).data

    def create(self, request, *args, **kwargs):
        record = writes.create(self.kind, user=request.user, data=request.data)
        return Response(self._serialize(record), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        return writes.change(
            self.kind,
            user=request.user,
            pk=kwargs["pk"],
            data=request.data,
            serialize=self._serialize,
        )


def _record_schema(noun: str, serializer, create_input, change_input, example, input_example):
    errors = {400: None, 403: None, 404: None}
    article = "an" if noun[0] in "aeiou" else "a"
    return extend_schema_view(
        list=extend_schema(summary=f"{noun.capitalize()} list", examples=[example]),
        retrieve=extend_schema(summary=f"{article.capitalize()} {noun}", examples=[example]),
        create=extend_schema(
            summary=f"Record {article} {noun} (editors)",
            request=create_input,
            responses={201: serializer, **errors},
            examples=[input_example, example],
        ),
        partial_update=extend_schema(
            summary=f"Change {article} {noun} (editors)",
            request=change_input,
            responses={200: serializer, 409: serializers.Conflict, **errors},
            examples=[examples.change_of(input_example), example],
        ),
    )


@_record_schema(
    "commitment",
    serializers.CommitmentSerializer,
    serializers.CommitmentInput,
    serializers.CommitmentChange,
    examples.COMMITMENT,
    examples.COMMITMENT_INPUT,
)
class CommitmentViewSet(RecordViewSet):
    """The filters of /commitments/."""

    filterset_class = CommitmentFilterSet
    serializer_class = serializers.CommitmentSerializer
    kind = COMMITMENT

    @staticmethod
    def selector(**kwargs):
        return compact_selectors.commitment_list(**kwargs).prefetch_related("participants")


@_record_schema(
    "milestone",
    serializers.MilestoneSerializer,
    serializers.MilestoneInput,
    serializers.MilestoneChange,
    examples.MILESTONE,
    examples.MILESTONE_INPUT,
)
class MilestoneViewSet(RecordViewSet):
    """The filters of /milestones/."""

    filterset_class = MilestoneFilterSet
    serializer_class = serializers.MilestoneSerializer
    kind = MILESTONE
    selector = staticmethod(compact_selectors.milestone_list)

    @extend_schema(
        summary="Mark a milestone done (editors)",
        description="GET: the milestone as the step shows it. POST: done on `completed_on`, "
        "with the evidence link, against the `version` you loaded.",
        request=serializers.MilestoneDoneInput,
        responses={200: serializers.MilestoneSerializer, 409: serializers.Conflict},
        examples=[examples.DONE_INPUT, examples.MILESTONE],
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def done(self, request, pk=None):
        if request.method == "GET":
            record = MILESTONE.get(user=request.user, pk=pk)
            require_editor(request.user, MILESTONE.compact_of(record).city_id)
            return Response(self._serialize(record))

        def mark_done(*, record, data, actor, expected_version):
            return compact_services.milestone_mark_done(
                milestone=record, actor=actor, expected_version=expected_version, **data
            )

        return writes.change(
            MILESTONE,
            user=request.user,
            pk=pk,
            data=request.data,
            serialize=self._serialize,
            form_class=MilestoneDoneForm,
            update=mark_done,
        )


@_record_schema(
    "activity",
    serializers.ActivitySerializer,
    serializers.ActivityInput,
    serializers.ActivityChange,
    examples.ACTIVITY,
    examples.ACTIVITY_INPUT,
)
class ActivityViewSet(RecordViewSet):
    """The filters of /activities/; newest first on the page, by id here (cursor pages)."""

    filterset_class = ActivityFilterSet
    serializer_class = serializers.ActivitySerializer
    kind = ACTIVITY
    selector = staticmethod(compact_selectors.activity_list)


class LeadershipChangeView(GenericAPIView):
    """A leader leaves a seat and a successor takes it, as /leadership/change/ records it."""

    serializer_class = serializers.LeadershipTermSerializer

    @extend_schema(
        summary="Seats you may record a change at (editors)",
        description="The terms in your edit scope: at your edited cities' organizations and at "
        "the seats that signed their compacts.",
        responses={200: serializers.LeadershipTermSerializer(many=True), 403: None},
        examples=[examples.TERM],
    )
    def get(self, request):
        self._require_editor_somewhere(request.user)
        queryset = terms_in_edit_scope(request.user).select_related("person", "organization")
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Record a leadership change (editors)",
        description="Both a last day and reason (someone is in post) and a successor; or a "
        "departure without a successor; or, at a vacant seat, the successor alone.",
        request=serializers.LeadershipChangeInput,
        responses={201: serializers.LeadershipChangeResult, 400: None, 403: None},
        examples=[examples.LEADERSHIP_INPUT, examples.LEADERSHIP_RESULT],
    )
    def post(self, request):
        self._require_editor_somewhere(request.user)
        form = LeadershipChangeForm(writes.bound(writes.form_data(request.data)), user=request.user)
        if not form.is_valid():
            raise ApiValidationError(writes.form_errors(form))
        data = dict(form.cleaned_data)
        data.pop("successor_person", None)
        try:
            if form.is_departure:
                change = leadership_departure(
                    organization=data["organization"],
                    role=data["role"],
                    last_day=data["last_day"],
                    end_reason=data["end_reason"],
                    actor=request.user,
                )
            else:
                change = leadership_change(**data, actor=request.user)
        except ValidationError as error:
            raise ApiValidationError(writes.service_errors(error)) from None
        term = serializers.LeadershipTermSerializer
        result = {
            "closed_term": term(change.closed_term).data if change.closed_term else None,
            "new_term": term(change.new_term).data if change.new_term else None,
            "compacts_losing_signatory": [c.pk for c in change.compacts_losing_signatory],
            "new_person": change.new_person,
        }
        return Response(result, status=status.HTTP_201_CREATED)

    @staticmethod
    def _require_editor_somewhere(user) -> None:
        if not editable_cities(user).exists():
            raise PermissionDenied("You do not edit any city.")
