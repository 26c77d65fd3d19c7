from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.home, name="home"),
    path("rounds/new/", views.round_create, name="round-create"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/compute/", views.round_compute, name="round-compute"),
    path("rounds/<int:pk>/import/", views.round_import, name="round-import"),
    path("rounds/<int:pk>/units/<int:unit_pk>/", views.case_detail, name="case"),
    path("rounds/<int:pk>/units/<int:unit_pk>/enter/", views.case_enter, name="case-enter"),
    path("rounds/<int:pk>/analyses/new/", views.analysis_create, name="analysis-create"),
    path("analyses/<int:pk>/", views.analysis_detail, name="analysis"),
    path("evidence/<int:value_pk>/", views.evidence, name="evidence"),
]
