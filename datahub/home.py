"""The directory's totals on the home page (units, institutions, active people in the reader's scope), each read
by a statement compiled once per scope shape from the selectors' own querysets (datahub.compiled, #17)."""

from . import selectors
from .compiled import CountStatement
from .models import OrgUnit, User
from .roles import DIRECTORY_READERS, PEOPLE_READERS

UNITS = CountStatement(OrgUnit, selectors.directory_units, roles=DIRECTORY_READERS)
INSTITUTIONS = CountStatement(
    OrgUnit,
    lambda reader: selectors.directory_units(reader).filter(level=OrgUnit.Level.INSTITUTION),
    roles=DIRECTORY_READERS,
)
PEOPLE = CountStatement(User, selectors.directory_people, roles=PEOPLE_READERS)


def directory_totals(user) -> dict:
    """What datahub.selectors.directory_totals gives, by three statements."""
    return {"units": UNITS.count(user), "institutions": INSTITUTIONS.count(user), "people": PEOPLE.count(user)}
