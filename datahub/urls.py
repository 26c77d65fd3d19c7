from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import import_views, views
from .auth.views import LoginView

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("datahub.auth.urls")),
    path("", include("datahub.oidc.page_urls")),
    path("directory/units/", views.UnitList.as_view(), name="unit-list"),
    path("directory/units/new/", views.UnitCreate.as_view(), name="unit-create"),
    path("directory/units/import/", import_views.unit_import, name="unit-import"),
    path("directory/units/<id:pk>/", views.UnitDetail.as_view(), name="unit-detail"),
    path("directory/units/<id:pk>/edit/", views.UnitUpdate.as_view(), name="unit-update"),
    path("directory/people/", views.PersonList.as_view(), name="person-list"),
    path("directory/people/new/", views.PersonCreate.as_view(), name="person-create"),
    path("directory/people/import/", import_views.person_import, name="person-import"),
    path("directory/people/<id:pk>/", views.PersonDetail.as_view(), name="person-detail"),
    path("directory/people/<id:pk>/edit/", views.PersonUpdate.as_view(), name="person-update"),
    path("directory/people/<id:pk>/roles/", views.PersonRoles.as_view(), name="person-roles"),
    path("directory/people/<id:pk>/side-posts/", views.PersonSidePosts.as_view(), name="person-side-posts"),
    path("directory/unit-options/", views.unit_options, name="unit-options"),
    path("audit/", views.AuditLog.as_view(), name="audit-log"),
    path("exports/<id:pk>/", views.export_job, name="export-job"),
    path("exports/<id:pk>/retry/", views.export_retry, name="export-retry"),
    path("exports/<id:pk>/download/", views.export_download, name="export-download"),
    path("imports/", import_views.my_imports, name="import-list"),
    path("imports/<id:pk>/", import_views.import_job, name="import-job"),
    path("imports/<id:pk>/status/", import_views.import_job_status, name="import-job-status"),
    path("imports/<id:pk>/retry/", import_views.import_retry, name="import-retry"),
]
