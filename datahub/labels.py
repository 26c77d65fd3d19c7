"""Translatable labels that end up in the data.

Choice labels, request-kind names and the like are marked for translation so the English interface
can show them in English. When one of them is written into a row (a request's title, a movement's
note), it is written in the platform's language, Chinese, whoever writes it: the data reads the same
for everyone, and the English reader sees it as data, like a unit's name.
"""

from django.conf import settings
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.functional import Promise
from django.utils.hashable import make_hashable

from .memo import Bounded


def stored(label) -> str:
    """``label`` as plain text in the platform's language, for writing into a row."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(label)


# (language, id of a lazy label) → (the label, its text). The label is kept in the value so its id is never
# reused by another object while the entry lives.
_SHOWN = Bounded(4096)


def shown(label) -> str:
    """``label`` in the active language. A lazy label (a choice's, a request kind's: constants of the code) is
    translated once per language and process: each ``str()`` of one walks the translation catalogues, and a list
    page showed 10–40 of them (its filters' options, the rows' status labels) on every request (#17)."""
    if not isinstance(label, Promise):
        return str(label)
    key = (translation.get_language(), id(label))
    hit = _SHOWN.get(key)
    if hit is None or hit[0] is not label:
        hit = _SHOWN.keep(key, (label, str(label)))
    return hit[1]


# id of a model field → (the field, its choices as {value: label}).
_CHOICES = Bounded(1024)
_MISSING = object()


def choice_shown(obj, field_name: str):
    """``obj.get_<field_name>_display()``, the same text: Django's rebuilds the field's choices into a dict on every
    call, hashing each lazy label (each hash a translation); here the dict is made once per field and the label
    translated once per language (shown). A ticket page showed nine of them (#17)."""
    field = obj._meta.get_field(field_name)
    kept = _CHOICES.get(id(field))
    if kept is None or kept[0] is not field:
        kept = _CHOICES.keep(id(field), (field, dict(make_hashable(field.flatchoices))))
    value = getattr(obj, field.attname)
    label = kept[1].get(make_hashable(value), _MISSING)
    return force_str(value, strings_only=True) if label is _MISSING else shown(label)
