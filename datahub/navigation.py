"""The platform's sections, shown on the home page and in the top bar for the roles that use them.

Each app adds its own entries when it lands; a section is visible to a user who holds
any of its roles somewhere (the scoping of what it lists is the section's own job).
"""

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from . import homecounts
from .memo import Bounded
from .roles import AUDIT_READERS, DIRECTORY_READERS, PEOPLE_READERS, STAFF_ROLES, Role
from .scoping import role_grants

# The counts of one home page, while it is drawn (see counting()); None elsewhere.
_COUNTS: ContextVar[dict | None] = ContextVar("home_counts", default=None)


@contextmanager
def counting(user=None):
    """Within this block a count made through count_once() is asked of the database once (the home page shows
    the same count on a section card, a work line and a panel); outside it every call counts afresh.

    Given the signed-in ``user`` and settings.HOME_COUNTS_SECONDS, the counts are also kept in the shared cache
    for that long (datahub.homecounts: a write through the ORM anywhere, or a change to the user's grants or to a
    unit, drops them at once; rows written in bulk by imports and ingests show within the seconds)."""
    stored = homecounts.read(user) if user is not None else None
    memo = dict(stored or {})
    token = _COUNTS.set(memo)
    try:
        yield
    finally:
        _COUNTS.reset(token)
        if user is not None and memo != (stored or {}):
            homecounts.write(user, memo)


def count_once(key: str, count: Callable) -> Callable:
    """``count(user)``, made once per user inside a counting() block; ``key`` names what it counts."""

    def counted(user) -> int:
        return _counted(key, user, count)

    return counted


def _counted(key: str, user, count: Callable) -> int:
    memo = _COUNTS.get()
    if memo is None:
        return count(user)
    if (key, user.pk) not in memo:
        memo[(key, user.pk)] = count(user)
    return memo[(key, user.pk)]


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
    Section(
        _("应用接入"), "system-list", (Role.BUREAU_ADMIN, Role.DATA_STEWARD), _("各部门业务系统的统一身份认证接入")
    ),
    Section(_("数据共享"), "catalog-list", DIRECTORY_READERS, _("政务数据资源目录、共享申请与授权、调用日志")),
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
        # Every role granted, on an active unit or not (as before): the same one read as the page's scope.
        cached = {role for role, _path, _active in role_grants(user)}
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


# The top bar's section links, drawn once per (role set, language, URL configuration) in each process: the
# same for everybody who holds the same roles, and reversing a dozen URLs on every page was a fifth of the
# base template's time. Bounded: cleared when it has seen this many different keys.
_TOPBAR = Bounded(512)


def topbar_html(user) -> str:
    """The ``<nav>`` of the top bar: a link to each section of ``user`` that has one (escaped, safe to show)."""
    if not user.is_authenticated:
        return ""
    roles = "*" if user.is_superuser else frozenset(held_roles(user))
    key = (roles, get_language(), get_script_prefix(), get_urlconf(), id(SECTIONS), len(SECTIONS))
    html = _TOPBAR.get(key)
    if html is None:
        sections = sections_for(user)
        links = format_html_join(
            "", '<a href="{}">{}</a>', ((reverse(s.url_name), s.label) for s in sections if s.in_topbar)
        )
        html = format_html(
            '<nav class="mainnav{}" aria-label="{}">{}</nav>',
            " many" if len(sections) > 8 else "",
            gettext("主导航"),
            links,
        )
        _TOPBAR.keep(key, html)
    return html


@dataclass(frozen=True)
class Landing:
    """Where the holders of ``roles`` land after signing in (an app registers one in its ``ready()``)."""

    roles: tuple[str, ...]
    url_name: str


LANDINGS: list[Landing] = []


def landing_for(user) -> str | None:
    """The URL name of the first registered landing whose roles the user holds, else None (the home page)."""
    roles = held_roles(user)
    return next((landing.url_name for landing in LANDINGS if roles & set(landing.roles)), None)


@dataclass(frozen=True)
class HomePanel:
    """A block of the home page ("what do I need to do") for the holders of ``roles``.

    An app registers its panels in ``ready()`` (the portal: my requests, the approval inbox; the command
    center: the leaders' entry). ``context(user)`` reads through the app's selectors and returns the
    template's context, or None when the panel has nothing to say to this user. Lower ``order`` first.
    """

    key: str
    roles: tuple[str, ...]
    template: str
    context: Callable
    order: int = 50


@dataclass(frozen=True)
class WorkItem:
    """One line of a domain administrator's home: a queue that waits for them (``group="queue"``: to handle,
    to dispatch, to review, imports) or a ledger's health (``group="health"``: alerts, over-standard cases,
    expiring insurance). ``count(user)`` is scoped by the app's selector; the line links to ``url_name``."""

    group: str
    label: str
    url_name: str
    roles: tuple[str, ...]
    count: Callable
    query: str = ""


HOME_PANELS: list[HomePanel] = []
WORK_ITEMS: list[WorkItem] = []


def register_home_panel(panel: HomePanel) -> None:
    if not any(p.key == panel.key for p in HOME_PANELS):
        HOME_PANELS.append(panel)
        HOME_PANELS.sort(key=lambda p: p.order)


def register_work_item(item: WorkItem) -> None:
    if not any(i.url_name == item.url_name and i.label == item.label for i in WORK_ITEMS):
        WORK_ITEMS.append(item)


def _holds(user, roles) -> bool:
    return user.is_superuser or bool(held_roles(user) & set(roles))


def home_panels_for(user) -> list[tuple[HomePanel, dict]]:
    """The user's panels with their context, in order; a panel whose context is None is left out."""
    shown = []
    for panel in HOME_PANELS:
        if _holds(user, panel.roles):
            context = panel.context(user)
            if context is not None:
                shown.append((panel, context))
    return shown


def work_items_for(user, group: str) -> list[tuple[WorkItem, int]]:
    """The user's lines of ``group`` with their counts (a line the user's roles do not cover is left out)."""
    return [
        (item, _counted(f"work:{item.url_name}?{item.query}", user, item.count))
        for item in WORK_ITEMS
        if item.group == group and _holds(user, item.roles)
    ]


def section_counts(user) -> list[tuple[Section, int | None]]:
    """The user's sections with the count each shows on its home page card (None: the section counts nothing)."""
    return [(s, _counted(f"section:{s.url_name}", user, s.count) if s.count else None) for s in sections_for(user)]


def work_panel(user) -> dict | None:
    """The home page's queue and ledger-health block of a domain administrator (None: no line applies)."""
    queue, health = work_items_for(user, "queue"), work_items_for(user, "health")
    return {"queue": queue, "health": health} if queue or health else None
