from django.urls import path

from portal.scheduling import views

app_name = "operations"

urlpatterns = [
    path("", views.operations, name="index"),
    path("run/", views.run_now, name="run"),
]
