from django.urls import path

from schools import views

app_name = "schools"

urlpatterns = [
    path("leadership/", views.leadership_list, name="leadership_list"),
    path("schools/", views.school_list, name="school_list"),
    path("networks/", views.network_list, name="network_list"),
]
