"""What a ledger's unit column shows for a unit (issue #19): a department with its agency before it
(``甲厅 › 甲厅办公室``), an agency or a region by its own name. Read here with a query of its own, outside
the pinned query counts of the page under test."""

from datahub.models import OrgUnit


def shown(unit: OrgUnit) -> str:
    if unit.level != OrgUnit.Level.DEPARTMENT:
        return unit.name
    return f"{OrgUnit.objects.get_parent(unit).name} › {unit.name}"
