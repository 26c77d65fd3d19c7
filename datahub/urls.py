from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import import_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("datahub.auth.urls")),
    path("directory/units/", views.unit_list, name="unit-list"),
    path("directory/units/new/", views.unit_create, name="unit-create"),
    path("directory/units/import/", import_views.unit_import, name="unit-import"),
    path("directory/units/<id:pk>/", views.unit_detail, name="unit-detail"),
    path("directory/units/<id:pk>/edit/", views.unit_update, name="unit-update"),
    path("directory/people/", views.person_list, name="person-list"),
    path("directory/people/new/", views.person_create, name="person-create"),
    path("directory/people/import/", import_views.person_import, name="person-import"),
    path("directory/people/<id:pk>/", views.person_detail, name="person-detail"),
    path("directory/people/<id:pk>/edit/", views.person_update, name="person-update"),
    path("directory/people/<id:pk>/roles/", views.person_roles, name="person-roles"),
    path("audit/", views.audit_log, name="audit-log"),
    path("exports/<id:pk>/", views.export_job, name="export-job"),
    path("exports/<id:pk>/retry/", views.export_retry, name="export-retry"),
    path("exports/<id:pk>/download/", views.export_download, name="export-download"),
    path("imports/", import_views.my_imports, name="import-list"),
    path("imports/<id:pk>/", import_views.import_job, name="import-job"),
    path("imports/<id:pk>/status/", import_views.import_job_status, name="import-job-status"),
    path("imports/<id:pk>/retry/", import_views.import_retry, name="import-retry"),
]
