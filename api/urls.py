"""/api/: the token page and the docs for people; /api/v1/ and the schema for scripts.

The v1 endpoints and the schema authenticate each request themselves (a token, or the
browsable API's session) and answer 401 without one, so LoginRequiredMiddleware lets them
through (login_not_required): its redirect to a sign-in page would be no answer for a script.
"""

from django.contrib.auth.decorators import login_not_required
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

for pattern in v1:
    login_not_required(pattern.callback)

urlpatterns = [
    path("tokens/", views.token_list, name="token_list"),
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("v1/", include(v1)),
]
