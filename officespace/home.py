"""Office space's home-page count (excesses and return flags still open), read by a statement compiled once per
scope shape from the selector's own queryset (datahub.compiled, #17)."""

from datahub.compiled import CountStatement

from . import selectors
from .models import Assessment

OPEN_PROBLEMS = CountStatement(Assessment, selectors.open_problems, roles=selectors.SPACE_READERS)


def open_problems(user) -> int:
    return OPEN_PROBLEMS.count(user)
