from django.conf import settings

from .navigation import topbar_html


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "platform_name": settings.PLATFORM_NAME,
        "topbar_nav": topbar_html(user) if user is not None else "",
    }
