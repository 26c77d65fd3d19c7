"""Translatable labels that end up in the data.

Choice labels, request-kind names and the like are marked for translation so the English interface
can show them in English. When one of them is written into a row (a request's title, a movement's
note), it is written in the platform's language, Chinese, whoever writes it: the data reads the same
for everyone, and the English reader sees it as data, like a unit's name.
"""

from django.conf import settings
from django.utils import translation


def stored(label) -> str:
    """``label`` as plain text in the platform's language, for writing into a row."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(label)
