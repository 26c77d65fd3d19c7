"""``/api/schema/``: the OpenAPI description, generated once per process, API version and language.

drf-spectacular builds it anew for every request: every endpoint's serializers walked, ≈ 1.75 CPU s on the
2-core target for the platform's 156 operations, each time someone opens ``/api/docs/``. It changes only
with the code (a new process) or the settings it reads (tests override them: the kept copies are dropped).
It is the public schema (``SERVE_PUBLIC``): every operation whoever asks, so one copy serves every reader;
who may read it at all is still checked on each request (``SERVE_PERMISSIONS``).
"""

from django.core.signals import setting_changed
from django.utils import translation
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response

_generated: dict[tuple, dict] = {}


def _forget(**kwargs) -> None:
    _generated.clear()


setting_changed.connect(_forget)


class SchemaView(SpectacularAPIView):
    def _get_schema_response(self, request):
        # The library's own method with the generated schema kept (its response headers as it makes them).
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (version, translation.get_language(), self.serve_public)
        if key not in _generated:
            generator = self.generator_class(urlconf=self.urlconf, api_version=version, patterns=self.patterns)
            _generated[key] = generator.get_schema(request=request, public=self.serve_public)
        return Response(
            data=_generated[key],
            headers={"Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'},
        )
