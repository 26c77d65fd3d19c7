"""Text the platform writes into a row, kept so that each reader sees it in their own language (issue #19).

A notification, a timeline remark, a generated title or an alert's detail used to be written as Chinese
text, so an English reader saw Chinese. Now the writer passes a ``Keyed`` message: the untranslated source
string (the msgid, Chinese) and its values. The row keeps three things: the text rendered in the
platform's language (what e-mail, search, the admin and legacy readers see), the msgid and the values
(JSON). At read time ``render`` translates the msgid in the reader's active language and fills in the
values. A row written before this (no key) shows its stored text; free text people typed travels as a
value and is never translated.

A value may itself be a message (a choice label, a ticket's generated title): it is stored as
``{"key": msgid, "values": {...}}`` and rendered the same way, in the same language. A list value is the
parts of one sentence, joined by the language's separator (；/ "; "). A list of names in one sentence
(``Names``: people, units, columns) is stored as ``{"names": [...]}`` and joined as the reader's language
lists them (A、B / A, B); ``listed`` does the same for a text written at read time.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Keyed:
    """A message to store: ``key`` is the source string (mark it with ``gettext_noop`` so it is collected),
    ``values`` fill its ``%(name)s`` placeholders."""

    key: str
    values: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return render(self.key, self.as_json()["values"])

    def stored(self) -> str:
        """The text in the platform's language, for the row's text column."""
        with translation.override(settings.LANGUAGE_CODE):
            return str(self)

    def as_json(self) -> dict:
        return {"key": self.key, "values": {k: _json(v) for k, v in self.values.items()}}


@dataclass(frozen=True)
class Names:
    """Names listed in one sentence (A、B in Chinese, "A, B" in English); each may be a message."""

    items: tuple

    def __init__(self, items):
        object.__setattr__(self, "items", tuple(items))

    def __str__(self) -> str:
        return listed(self.items)


def listed(items) -> str:
    """``items`` (texts, lazy labels or messages) as the active language lists names: A、B / A, B."""
    return gettext("、").join(str(_shown(_json(item))) for item in items)


def joined(parts) -> str:
    """The parts of one sentence (refusals, reasons) as the active language joins them: ；in Chinese, "; " in
    English."""
    return gettext("；").join(str(part) for part in parts)


def label(value) -> "Keyed | str":
    """A lazily translated label (a choice's, a request kind's) as a message, so it is stored as its msgid
    and read in the reader's language; anything else as it is."""
    if isinstance(value, Promise):
        args = getattr(value, "_args", ())
        if len(args) == 1 and isinstance(args[0], str):
            return Keyed(args[0])
        return str(value)
    return value


def _json(value):
    value = label(value)
    if isinstance(value, Keyed):
        return value.as_json()
    if isinstance(value, Names):
        return {"names": [_json(v) for v in value.items]}
    if isinstance(value, dict) and ("key" in value or "names" in value):
        return value
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def _shown(value):
    if isinstance(value, dict) and "key" in value:
        return render(value["key"], value.get("values") or {})
    if isinstance(value, dict) and "names" in value:
        return gettext("、").join(str(_shown(v)) for v in value["names"])
    if isinstance(value, list):  # parts of one sentence, joined as the language joins them
        return gettext("；").join(str(_shown(v)) for v in value)
    return "" if value is None else value


_PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]")


def keys_matching(keys, search: str) -> list[str]:
    """The messages among ``keys`` whose words in the active language (what lies between their
    placeholders) contain ``search``, ignoring case: how a reader finds a stored message by the words
    they see. The values are not looked at: they are in the stored text already."""
    needle = search.strip().casefold()
    if not needle:
        return []
    return [k for k in keys if any(needle in part.casefold() for part in _PLACEHOLDER.split(gettext(k)))]


def render(key: str, values: dict | None, fallback: str = "") -> str:
    """``key`` translated in the active language with ``values`` filled in; ``fallback`` (the stored text)
    when the row has no key, or when the values no longer fit the message (a renamed placeholder)."""
    if not key:
        return fallback
    text = gettext(key)
    if not values:
        return text
    try:
        return text % {name: _shown(v) for name, v in values.items()}
    except (KeyError, ValueError, TypeError):
        return fallback or key


def split(message, limit: int) -> tuple[str, str, dict]:
    """(stored text cut to ``limit``, key, values) for a ``Keyed`` message or a plain text."""
    if isinstance(message, Keyed):
        data = message.as_json()
        return message.stored()[:limit], data["key"], data["values"]
    return str(message or "")[:limit], "", {}


def as_value(text: str, key: str, values: dict):
    """A stored message back as a value for another message: the message when the row has a key, its
    text otherwise (a legacy row)."""
    return {"key": key, "values": values or {}} if key else text


def message(text: str, key: str, values: dict) -> "Keyed | str":
    """A stored message back as a message to write elsewhere (a step's result onto the timeline): the
    message when the row has a key, its text otherwise."""
    return Keyed(key, values or {}) if key else text


class Rendered:
    """A model attribute reading ``<field>`` in the reader's language from ``<field>_key`` and
    ``<field>_values``; the stored text when the row has no key."""

    def __init__(self, field_name: str):
        self.field_name = field_name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        name = self.field_name
        return render(getattr(obj, f"{name}_key"), getattr(obj, f"{name}_values"), getattr(obj, name))


def key_field():
    return models.CharField(_("消息原文"), max_length=300, blank=True, default="", editable=False)


def values_field():
    return models.JSONField(_("消息参数"), default=dict, blank=True, editable=False)


def choice(instance, name: str):
    """The label of ``instance``'s choice field ``name`` as a message (read in the reader's language)."""
    value = getattr(instance, name)
    for code, text in instance._meta.get_field(name).flatchoices:
        if code == value:
            return label(text)
    return value


def columns(name: str, message, limit: int) -> dict:
    """A model's three columns for ``message`` (a ``Keyed`` message or a plain text): ``name`` (the text in
    the platform's language), ``<name>_key`` and ``<name>_values``."""
    text, key, values = split(message, limit)
    return {name: text, f"{name}_key": key, f"{name}_values": values}
