from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy
from drf_spectacular.views import SpectacularSwaggerView
from oauth2_provider.views import ConnectDiscoveryInfoView

from datahub.api.docs import SchemaView
from datahub.auth import views as auth_views
from datahub.health import health

admin.site.site_header = gettext_lazy("一网协同 · 管理后台")
admin.site.site_title = gettext_lazy("一网协同")


def favicon(request):
    # Browsers ask for /favicon.ico whatever the page says; the icon itself is a static file.
    return redirect(static("favicon.svg"), permanent=True)


urlpatterns = [
    path("favicon.ico", favicon),
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
    # Django's language switch, which also saves a signed-in person's choice (datahub.auth.views).
    path("i18n/setlang/", auth_views.set_language, name="set_language"),
    # Unified identity: the OpenID Connect provider (issuer /o) and its discovery document at the root too.
    path("o/", include("datahub.oidc.urls")),
    re_path(r"^\.well-known/openid-configuration/?$", ConnectDiscoveryInfoView.as_view(), name="oidc-discovery"),
    path("api/v1/portal/", include("portal.api.urls")),
    path("api/v1/officespace/", include("officespace.api.urls")),
    path("api/v1/assessment/", include("assessment.api.urls")),
    path("api/v1/vehicles/", include("vehicles.api.urls")),
    path("api/v1/telematics/", include("telematics.api.urls")),
    path("api/v1/assets/", include("assets.api.urls")),
    path("api/v1/assetpool/", include("assetpool.api.urls")),
    path("api/v1/stocktake/", include("stocktake.api.urls")),
    path("api/v1/energy/", include("energy.api.urls")),
    path("api/v1/", include("datahub.api.urls")),
    path("api/exchange/v1/", include("datahub.catalog.api_urls")),
    path("portal/", include("portal.urls")),
    path("officespace/", include("officespace.urls")),
    path("assessment/", include("assessment.urls")),
    path("vehicles/", include("vehicles.urls")),
    path("telematics/", include("telematics.urls")),
    path("assets/", include("assets.urls")),
    path("assetpool/", include("assetpool.urls")),
    path("stocktake/", include("stocktake.urls")),
    path("energy/", include("energy.urls")),
    path("catalog/", include("datahub.catalog.urls")),
    path("command/", include("commandcenter.urls")),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("datahub.urls")),
]
# Uploaded files are never served as public static files: each app serves its own through a
# view that checks who may see them (see portal.views.attachment).
