"""The platform's roles, as data.

A role is a Django group (which carries the model-level permissions the role needs,
e.g. for the admin site) *and* an object permission ``datahub.role_<code>`` granted on
an OrgUnit with django-guardian. The object grant decides *where* the role applies:
the unit and everything below it. ``datahub.scoping`` is the only code that reads it.

Every user is implicitly a civil servant of their own unit; that grant is derived
from ``User.org_unit``, never stored twice.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CIVIL_SERVANT = "civil_servant", _("机关工作人员")
    APPROVER = "approver", _("处室负责人（审批人）")
    VEHICLE_DISPATCHER = "vehicle_dispatcher", _("车辆调度员")
    SPACE_ADMIN = "space_admin", _("房产管理员")
    ASSET_ADMIN = "asset_admin", _("资产管理员")
    ENERGY_REPORTER = "energy_reporter", _("能耗填报员")
    DATA_STEWARD = "data_steward", _("数据管理员")
    BUREAU_ADMIN = "bureau_admin", _("机关事务管理局管理员")
    LEADER = "leader", _("领导")
    AUDITOR = "auditor", _("审计员")


def permission_codename(role: str) -> str:
    return f"role_{role}"


# Roles allowed to read the org *tree* (units, codes, quotas — no personal data) of the units they cover.
DIRECTORY_READERS = tuple(Role.values)

# Least privilege for the *people* directory (pages, API /api/v1/users/, export, admin).
# Every reader sees a person's basic entry (user name, name, unit, title, 职务级别, 职级, main post, status);
# the extra fields each role needs are listed here, and apply in the subtree where the role is granted.
# Roles that are not keys read no people at all through that role: a dispatcher, a space, asset or energy
# administrator picks drivers, occupants and custodians through their own app's scoping, never the
# directory. Everybody still reads the basic entries of their own department as a civil servant.
# A listed "phone" or "id_number" is still masked unless the viewer also holds the full-view permission
# (datahub.personal_data), and every unmasked read is audited.
PERSON_EXTRA_FIELDS: dict[str, frozenset[str]] = {
    Role.BUREAU_ADMIN: frozenset({"email", "phone", "id_number"}),
    Role.LEADER: frozenset({"email", "phone"}),
    Role.APPROVER: frozenset({"email", "phone"}),
    Role.DATA_STEWARD: frozenset({"email", "id_number"}),
    Role.AUDITOR: frozenset(),
    Role.CIVIL_SERVANT: frozenset(),
}
PEOPLE_READERS = tuple(PERSON_EXTRA_FIELDS)
# Roles that read the audit trail (personal-data reads, failed sign-ins) of people in their subtree.
AUDIT_READERS = (Role.AUDITOR,)
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
    Role.AUDITOR,
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
        "datahub.view_full_phone",
        "datahub.view_apitoken",
        # 应用接入 (datahub/oidc): registered systems and their tokens, in the admin too.
        "datahub.view_registeredsystem",
        "oauth2_provider.view_accesstoken",
    ),
    Role.LEADER: ("datahub.view_orgunit", "datahub.view_user", "datahub.view_full_phone"),
    Role.DATA_STEWARD: (
        "datahub.view_orgunit",
        "datahub.view_user",
        "datahub.view_registeredsystem",
        "oauth2_provider.view_accesstoken",
    ),
    # Domain administrators need units (autocomplete in their admin pages), not people.
    Role.VEHICLE_DISPATCHER: ("datahub.view_orgunit",),
    Role.SPACE_ADMIN: ("datahub.view_orgunit",),
    Role.ASSET_ADMIN: ("datahub.view_orgunit",),
    Role.ENERGY_REPORTER: ("datahub.view_orgunit",),
    Role.APPROVER: ("datahub.view_full_phone",),
    Role.AUDITOR: ("datahub.view_auditentry",),
    Role.CIVIL_SERVANT: (),
}


def add_group_permissions(role: str, *dotted: str) -> None:
    """Called by a domain app's AppConfig.ready() to give a role's group that app's model permissions.

    The groups are (re)built after every migrate, so a new entry takes effect on the next one.
    """
    GROUP_PERMISSIONS[role] = tuple(dict.fromkeys((*GROUP_PERMISSIONS.get(role, ()), *dotted)))
