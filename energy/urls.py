from django.urls import path

from . import views

app_name = "energy"

urlpatterns = [
    path("", views.home, name="home"),
    path("institutions/", views.InstitutionList.as_view(), name="institution-list"),
    path("institutions/<id:pk>/", views.institution_detail, name="institution-detail"),
    path("institutions/<id:pk>/profile/<year:year>/", views.ProfileFormView.as_view(), name="profile-form"),
    path(
        "institutions/<id:pk>/profile/<year:year>/correct/",
        views.ProfileCorrectionView.as_view(),
        name="profile-correct",
    ),
    path("institutions/<id:pk>/sheet/<year:year>/<id:month>/", views.sheet, name="sheet"),
    path("institutions/<id:pk>/submit/", views.Submit.as_view(), name="submit"),
    path("records/", views.RecordList.as_view(), name="record-list"),
    path("records/import/", views.record_import, name="record-import"),
    path("submissions/", views.SubmissionList.as_view(), name="submission-list"),
    path("submissions/<id:pk>/", views.submission_detail, name="submission-detail"),
    path("summary/", views.Summary.as_view(), name="summary"),
    path("coefficients/", views.coefficients, name="coefficients"),
    path("anomalies/", views.anomaly_list, name="anomalies"),
]
