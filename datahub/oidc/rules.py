"""Scopes, claims and lifetimes of the identity provider, as data.

A person's facts are grouped in three scopes so that a system asks only for what it needs; a system's own
API rights are scopes too (client credentials). 身份证号 and phone numbers are never a claim: a department's
system identifies people by ``sub`` and reads their unit and rank, nothing more.
"""

from urllib.parse import urlsplit

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..roles import Role

OPENID = "openid"


class PersonScope(models.TextChoices):
    OPENID = "openid", _("登录身份（唯一标识）")
    PROFILE = "profile", _("姓名与用户名")
    ORG = "org", _("所在单位与职务级别、职级")
    ROLES = "roles", _("在各单位的角色")


class SystemScope(models.TextChoices):
    DIRECTORY = "directory", _("以本系统身份读取本单位的组织机构与人员基本信息")
    EXCHANGE = "exchange", _("以本系统身份调用数据共享交换接口")


# What each person scope hands over, as the consent page lists it.
SCOPE_CLAIMS: dict[str, tuple[str, ...]] = {
    PersonScope.OPENID: ("sub",),
    PersonScope.PROFILE: ("name", "preferred_username"),
    PersonScope.ORG: ("unit", "post_level", "rank", "job_title"),
    PersonScope.ROLES: ("roles",),
}
CLAIM_LABELS = {
    "sub": _("在本平台的唯一标识（不含身份证号）"),
    "name": _("姓名"),
    "preferred_username": _("用户名"),
    "unit": _("所在单位/部门（名称、统一社会信用代码、完整路径）"),
    "post_level": _("职务级别（代码与名称）"),
    "rank": _("职级（代码与名称）"),
    "job_title": _("职务名称"),
    "roles": _("在本平台的角色及授予的单位"),
}
# The claim → scope table DOT filters by (a claim not listed here is never released).
CLAIM_SCOPE = {claim: scope for scope, claims in SCOPE_CLAIMS.items() for claim in claims}
# Never a claim, whatever a future edit of the tables above says (tests/datahub/oidc checks it).
FORBIDDEN_CLAIMS = frozenset({"id_number", "phone", "phone_number", "email"})

ALL_SCOPES = {**dict(PersonScope.choices), **dict(SystemScope.choices)}


class SystemKind(models.TextChoices):
    SIGN_IN = "sign_in", _("单点登录（人员通过本平台登录该系统）")
    SERVICE = "service", _("系统接口调用（以系统身份调用本平台接口）")
    BOTH = "both", _("单点登录与接口调用")


def kind_signs_in(kind: str) -> bool:
    return kind in (SystemKind.SIGN_IN, SystemKind.BOTH)


def kind_calls_api(kind: str) -> bool:
    return kind in (SystemKind.SERVICE, SystemKind.BOTH)


def scopes_allowed_for_kind(kind: str) -> set[str]:
    allowed: set[str] = set()
    if kind_signs_in(kind):
        allowed |= set(PersonScope.values)
    if kind_calls_api(kind):
        allowed |= set(SystemScope.values)
    return allowed


def scope_problems(kind: str, scopes: list[str]) -> list[str]:
    """Chinese reasons why ``scopes`` do not fit a system of ``kind`` (empty when they do)."""
    problems = []
    unknown = [s for s in scopes if s not in ALL_SCOPES]
    if unknown:
        problems.append(_("未知的授权范围：%(names)s。") % {"names": _("、").join(unknown)})
    wrong = [s for s in scopes if s in ALL_SCOPES and s not in scopes_allowed_for_kind(kind)]
    if wrong:
        problems.append(
            _("该接入方式不能申请：%(names)s。") % {"names": _("、").join(str(ALL_SCOPES[s]) for s in wrong)}
        )
    if kind_signs_in(kind) and OPENID not in scopes:
        problems.append(_("单点登录的系统必须包含“登录身份（唯一标识）”。"))
    return problems


# What a system token may read through the platform API, per scope: it acts as if it held these roles on
# its owning unit (datahub.scoping reads them from the SystemPrincipal). Reading only; writes need a person.
SYSTEM_SCOPE_ROLES: dict[str, tuple[str, ...]] = {
    SystemScope.DIRECTORY: (Role.CIVIL_SERVANT,),
    SystemScope.EXCHANGE: (),
}

# Who registers and manages systems, in the subtree of their grant; only a bureau administrator may mark a
# system internal (no consent screen).
SYSTEM_MANAGERS = (Role.BUREAU_ADMIN, Role.DATA_STEWARD)
CONSENT_SKIPPERS = (Role.BUREAU_ADMIN,)


def redirect_uri_problem(uri: str, *, debug: bool) -> str | None:
    """Why a redirect URI cannot be registered (None when it can): absolute, no fragment, https outside DEBUG
    except for the loopback address a developer's machine uses."""
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return _("“%(uri)s”不是完整的网址（应以 https:// 开头）。") % {"uri": uri}
    if parts.fragment:
        return _("“%(uri)s”不能包含“#”片段。") % {"uri": uri}
    loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if parts.scheme == "http" and not (debug or loopback):
        return _("“%(uri)s”必须使用 https。") % {"uri": uri}
    return None


def consent_covers(granted, asked) -> bool:
    """A stored consent answers a sign-in when it already includes every scope asked: the same or fewer
    scopes sign in without a question, one more scope asks again (for all of them)."""
    return set(asked) <= set(granted)


def consent_widened(granted, asked) -> list[str]:
    """The scopes a person has agreed to after agreeing to ``asked``: a narrower sign-in never narrows it."""
    return sorted(set(granted) | set(asked), key=lambda s: (list(ALL_SCOPES).index(s) if s in ALL_SCOPES else 99, s))
