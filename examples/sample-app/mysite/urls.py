from django.urls import path

from jobs import views as jobs
from mysite import views

urlpatterns = [
    path("", views.home),
    path("health/", views.health),
    path("jobs/refresh-cache/", jobs.refresh_cache),
    path("jobs/nightly-report/", jobs.nightly_report),
    path("jobs/task/", jobs.task),
]
