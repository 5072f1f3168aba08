from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("cities/", views.city_list, name="city_list"),
    path("cities/<slug:slug>/", views.city_dashboard, name="city_dashboard"),
    path("reports/", views.portfolio_overview, name="portfolio"),
]
