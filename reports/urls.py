from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("cities/", views.city_list, name="city_list"),
    path("cities/<slug:slug>/", views.city_dashboard, name="city_dashboard"),
    path("cities/<slug:slug>/board-pack/", views.city_board_pack, name="city_board_pack"),
    path("reports/", views.portfolio_overview, name="portfolio"),
    path("reports/board-pack/", views.portfolio_board_pack, name="portfolio_board_pack"),
]
