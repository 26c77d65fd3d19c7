"""Path converters for every page URL: ``<id:pk>`` and ``<year:year>`` instead of ``<int:…>``.

Django's ``int`` matches any run of digits, and ``/vehicles/board/99999999999999999999/assign/``
then reaches the database as a number no column holds (SQLite raises OverflowError: a 500).
These match only values the views can use, so anything else is a plain 404. Registered once,
in DatahubConfig.ready(), before any urls.py is loaded.
"""

from django.urls import register_converter


class IdConverter:
    """A database id: at most 18 digits, always below 2**63 (a bigint)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


class YearConverter(IdConverter):
    """A calendar year the platform keeps data for (1900–2099); dates outside it overflow date arithmetic."""

    regex = "(?:19|20)[0-9]{2}"


def register() -> None:
    register_converter(IdConverter, "id")
    register_converter(YearConverter, "year")
