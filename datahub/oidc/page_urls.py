from django.urls import path

from . import pages

urlpatterns = [
    path("directory/systems/", pages.system_list, name="system-list"),
    path("directory/systems/new/", pages.system_create, name="system-create"),
    path("directory/systems/<id:pk>/", pages.system_detail, name="system-detail"),
    path("directory/systems/<id:pk>/edit/", pages.system_update, name="system-update"),
    path("directory/systems/<id:pk>/rotate/", pages.system_rotate, name="system-rotate"),
    path("directory/systems/<id:pk>/suspend/", pages.system_suspend, name="system-suspend"),
    path("directory/systems/<id:pk>/resume/", pages.system_resume, name="system-resume"),
]

# A person's own consents, under 账号安全.
urlpatterns += [
    path("accounts/security/systems/", pages.consent_list, name="consent-list"),
    path("accounts/security/systems/<id:pk>/revoke/", pages.consent_revoke, name="consent-revoke"),
]
