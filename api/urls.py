"""/api/: the token page and the docs for people; /api/v1/ and the schema for scripts.

DRF marks its views login_not_required: the v1 endpoints and the schema authenticate each
request themselves (a token, or the browsable API's session) and answer 401 without one, since a
redirect to a sign-in page would be no answer for a script. The docs page is a page for people,
behind the sign-in like every other.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from api import endpoints, views

app_name = "api"

router = SimpleRouter()
router.register("cities", endpoints.CityViewSet, basename="city")
router.register("organizations", endpoints.OrganizationViewSet, basename="organization")
router.register("leadership-terms", endpoints.LeadershipTermViewSet, basename="term")
router.register("compacts", endpoints.CompactViewSet, basename="compact")
router.register("commitments", endpoints.CommitmentViewSet, basename="commitment")
router.register("milestones", endpoints.MilestoneViewSet, basename="milestone")
router.register("activities", endpoints.ActivityViewSet, basename="activity")
router.register("grants", endpoints.GrantViewSet, basename="grant")

v1 = [
    *router.urls,
    path(
        "leadership-changes/",
        endpoints.LeadershipChangeView.as_view(),
        name="leadership_change",
    ),
]

docs = SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/docs.html")
docs.login_required = True

urlpatterns = [
    path("tokens/", views.token_list, name="token_list"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs, name="docs"),
    path("v1/", include(v1)),
]
