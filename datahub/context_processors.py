from django.conf import settings

from .navigation import sections_for


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "platform_name": settings.PLATFORM_NAME,
        "nav_sections": sections_for(user) if user is not None else [],
    }
