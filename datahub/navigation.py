"""The platform's sections, shown on the home page and in the top bar for the roles that use them.

Each app adds its own entries when it lands; a section is visible to a user who holds
any of its roles somewhere (the scoping of what it lists is the section's own job).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .roles import AUDIT_READERS, DIRECTORY_READERS, PEOPLE_READERS, STAFF_ROLES, Role
from .selectors import role_grants_of


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str
    roles: tuple[str, ...]
    description: str = ""
    # Optional, by keyword: how many things wait for this user here (shown on the home page card),
    # and whether the section also gets a link in the top bar.
    count: Callable | None = field(default=None, kw_only=True)
    in_topbar: bool = field(default=True, kw_only=True)


SECTIONS: list[Section] = [
    Section(_("组织机构"), "unit-list", DIRECTORY_READERS, _("机构树、编制与统一社会信用代码")),
    Section(_("人员名录"), "person-list", PEOPLE_READERS, _("人员、职务级别与职级、角色授权")),
    Section(_("审计日志"), "audit-log", AUDIT_READERS, _("个人信息查看、导出与登录失败记录")),
    Section(_("管理后台"), "admin:index", STAFF_ROLES, _("各类台账的后台维护（按授权范围）")),
    Section(_("接口文档"), "api-docs", (Role.BUREAU_ADMIN, Role.DATA_STEWARD), _("REST API（令牌认证）说明")),
]


@dataclass(frozen=True)
class Tab:
    """One tab of a section's tab bar. A section declares its tabs in ``<app>/navigation.py`` as ``TABS``
    and its pages show them with ``{% load section_tabs %}{% section_tabs "<app>" "<key>" %}``."""

    key: str  # what a page passes to mark the tab active ("" for a link that is never the current page)
    url_name: str
    label: str
    # The roles the tab's page admits (no link to a 403); None: everybody who may open the section.
    roles: tuple[str, ...] | None = None
    args: tuple = ()
    query: str = ""


def held_roles(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached = user.__dict__.get("_held_roles")
    if cached is None:
        cached = {g.permission.codename.removeprefix("role_") for g in role_grants_of(user)}
        if user.org_unit_id:
            cached.add(Role.CIVIL_SERVANT.value)
        user.__dict__["_held_roles"] = cached
    return cached


def sections_for(user) -> list[Section]:
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(SECTIONS)
    roles = held_roles(user)
    return [s for s in SECTIONS if roles & set(s.roles)]
