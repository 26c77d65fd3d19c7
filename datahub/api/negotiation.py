"""Content negotiation without parsing the Accept header when there is nothing to choose (#17)."""

from rest_framework.negotiation import DefaultContentNegotiation

# What a client sends when it takes the first renderer's JSON: no header (DRF reads it as */*), */*, or JSON.
_TAKES_THE_FIRST = {None, "*/*", "application/json"}


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, answered at once where its answer is known: with no format asked for (neither
    ``?format=`` nor a suffix) and an Accept of nothing, ``*/*`` or ``application/json``, DRF picks the first
    renderer with its own media type when that is ``application/json``. Every other request is negotiated
    as before (an ``indent=`` parameter, HTML for the browsable API, a 406)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        if (
            not format_suffix
            and renderers
            and renderers[0].media_type == "application/json"
            and request.META.get("HTTP_ACCEPT") in _TAKES_THE_FIRST
            and self.settings.URL_FORMAT_OVERRIDE not in request.query_params
        ):
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)
