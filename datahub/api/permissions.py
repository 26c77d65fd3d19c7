from django.conf import settings
from django.utils.translation import gettext_lazy
from rest_framework.permissions import BasePermission


class DocsAccess(BasePermission):
    """The OpenAPI schema and Swagger UI: open while developing (DEBUG), for signed-in people in production.

    The schema lists every endpoint and field; an intranet scanner needs no such map.
    """

    message = gettext_lazy("请先登录后再查看接口文档。")

    def has_permission(self, request, view):
        return settings.DEBUG or bool(request.user and request.user.is_authenticated)
