from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.home, name="home"),
    path("rounds/new/", views.RoundCreate.as_view(), name="round-create"),
    path("rounds/<id:pk>/", views.round_detail, name="round"),
    path("rounds/<id:pk>/compute/", views.RoundCompute.as_view(), name="round-compute"),
    path("rounds/<id:pk>/import/", views.round_import, name="round-import"),
    path("rounds/<id:pk>/units/<id:unit_pk>/", views.case_detail, name="case"),
    path("rounds/<id:pk>/units/<id:unit_pk>/enter/", views.CaseEnter.as_view(), name="case-enter"),
    path(
        "rounds/<id:pk>/units/<id:unit_pk>/indicators/<id:indicator_pk>/",
        views.case_indicator,
        name="case-indicator",
    ),
    path("rounds/<id:pk>/analyses/new/", views.AnalysisCreate.as_view(), name="analysis-create"),
    path("analyses/<id:pk>/", views.analysis_detail, name="analysis"),
    path("analysis-jobs/<id:pk>/", views.analysis_job, name="analysis-job"),
    path("evidence/<id:value_pk>/", views.evidence, name="evidence"),
]
