"""The platform's roles, as data.

A role is a Django group (which carries the model-level permissions the role needs,
e.g. for the admin site) *and* an object permission ``datahub.role_<code>`` granted on
an OrgUnit with django-guardian. The object grant decides *where* the role applies:
the unit and everything below it. ``datahub.scoping`` is the only code that reads it.

Every user is implicitly a civil servant of their own unit; that grant is derived
from ``User.org_unit``, never stored twice.
"""

from django.db import models


class Role(models.TextChoices):
    CIVIL_SERVANT = "civil_servant", "机关工作人员"
    APPROVER = "approver", "处室负责人（审批人）"
    VEHICLE_DISPATCHER = "vehicle_dispatcher", "车辆调度员"
    SPACE_ADMIN = "space_admin", "房产管理员"
    ASSET_ADMIN = "asset_admin", "资产管理员"
    ENERGY_REPORTER = "energy_reporter", "能耗填报员"
    DATA_STEWARD = "data_steward", "数据管理员"
    BUREAU_ADMIN = "bureau_admin", "机关事务管理局管理员"
    LEADER = "leader", "领导"


def permission_codename(role: str) -> str:
    return f"role_{role}"


# Roles allowed to read the org directory of the units they cover.
DIRECTORY_READERS = tuple(Role.values)
# Roles allowed to change the org directory, people and role grants below them.
DIRECTORY_EDITORS = (Role.BUREAU_ADMIN,)

# Roles that use the Django admin site (is_staff is derived from holding one of them).
STAFF_ROLES = (
    Role.BUREAU_ADMIN,
    Role.VEHICLE_DISPATCHER,
    Role.SPACE_ADMIN,
    Role.ASSET_ADMIN,
    Role.ENERGY_REPORTER,
    Role.DATA_STEWARD,
)

# Model-level permissions each role's group holds, as "app_label.codename".
# Domain apps extend this table when they land.
GROUP_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.BUREAU_ADMIN: (
        "datahub.view_orgunit",
        "datahub.add_orgunit",
        "datahub.change_orgunit",
        "datahub.view_user",
        "datahub.add_user",
        "datahub.change_user",
        "datahub.view_full_id_number",
        "datahub.view_apitoken",
    ),
    Role.LEADER: ("datahub.view_orgunit", "datahub.view_user"),
    Role.DATA_STEWARD: ("datahub.view_orgunit", "datahub.view_user"),
    Role.VEHICLE_DISPATCHER: ("datahub.view_orgunit", "datahub.view_user"),
    Role.SPACE_ADMIN: ("datahub.view_orgunit", "datahub.view_user"),
    Role.ASSET_ADMIN: ("datahub.view_orgunit", "datahub.view_user"),
    Role.ENERGY_REPORTER: ("datahub.view_orgunit", "datahub.view_user"),
    Role.APPROVER: (),
    Role.CIVIL_SERVANT: (),
}


def add_group_permissions(role: str, *dotted: str) -> None:
    """Called by a domain app's AppConfig.ready() to give a role's group that app's model permissions.

    The groups are (re)built after every migrate, so a new entry takes effect on the next one.
    """
    GROUP_PERMISSIONS[role] = tuple(dict.fromkeys((*GROUP_PERMISSIONS.get(role, ()), *dotted)))
