"""The one place that decides which rows a user may see or change.

A role granted on an OrgUnit covers that unit and its whole subtree. Every list,
detail, export, admin page and API endpoint filters through ``scope()``; a view that
does not is a bug. The rules:

- superusers see everything;
- anonymous users see nothing;
- anyone else sees the rows whose unit lies below a unit on which they hold one of
  the requested roles (the civil-servant role on their own unit is implicit).
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from .models import OrgUnit, OrgUnitUserPermission
from .roles import Role


def _outermost(paths: Iterable[str]) -> list[str]:
    # A grant below another grant adds nothing; dropping it keeps the filter short.
    kept: list[str] = []
    for path in sorted(paths):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return kept


def granted_paths(user, roles: Iterable[str]) -> list[str]:
    """Tree paths of the units on which ``user`` holds any of ``roles``, outermost only."""
    if not user or not user.is_authenticated:
        return []
    roles = tuple(roles)
    cache = user.__dict__.setdefault("_scope_paths_cache", {})
    if roles not in cache:
        by_role = granted_paths_by_role(user, roles)
        cache[roles] = _outermost(path for paths in by_role.values() for path in paths)
    return cache[roles]


def granted_paths_by_role(user, roles: Iterable[str]) -> dict[str, list[str]]:
    """For each of ``roles``, the outermost tree paths where ``user`` holds it — one query for all of them
    (callers that need one filter per role, like the portal's handler kinds, would otherwise ask per role)."""
    if not user or not user.is_authenticated:
        return {}
    roles = tuple(roles)
    cache = user.__dict__.setdefault("_scope_paths_cache", {})
    if ("by_role", roles) not in cache:
        cache[("by_role", roles)] = _granted_paths_by_role(user, roles)
    return cache[("by_role", roles)]


def role_grants(user) -> list[tuple[str, str, bool]]:
    """Every role grant the user holds: (role, unit path, unit still active).

    One query, kept on the user object (a request's user lives as long as the request): the page's reader
    check, its 新增 button, the navigation's sections and the rows' scope all read it, whatever roles each
    asks about, instead of one query per set of roles. ``forget()`` drops it after a grant changes."""
    # getattr, not __dict__: through request.user's lazy wrapper this reaches the user itself, where the cached
    # signed-in user (datahub.auth.usercache) already carries its grants.
    cached = getattr(user, "_role_grants", None)
    if cached is None:
        cached = [
            (codename.removeprefix("role_"), path, active)
            for codename, path, active in OrgUnitUserPermission.objects.filter(
                user=user, permission__content_type__app_label="datahub", permission__codename__startswith="role_"
            ).values_list("permission__codename", "content_object__path", "content_object__is_active")
        ]
        user._role_grants = cached
    return cached


def _granted_paths_by_role(user, roles: tuple[str, ...]) -> dict[str, list[str]]:
    if getattr(user, "is_system", False):
        # A registered system calling with its own token (datahub.oidc.principal): the roles of its scopes.
        return user.role_paths(roles)
    found: dict[str, set[str]] = {role: set() for role in roles}
    for role, path, active in role_grants(user):
        # A grant on a unit since closed covers nothing.
        if active and role in found:
            found[role].add(path)
    if Role.CIVIL_SERVANT in roles and user.org_unit_id and user.org_unit.is_active:
        found[Role.CIVIL_SERVANT].add(user.org_unit.path)
    return {role: _outermost(paths) for role, paths in found.items()}


def subtree_q(paths: list[str], unit_field: str) -> Q:
    """Q matching rows whose ``unit_field`` lies in any of the subtrees rooted at ``paths``."""
    prefix = "path" if unit_field == "" else f"{unit_field}__path"
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{prefix}__startswith": path})
    return q


def scope(queryset: QuerySet, user, *, roles: Iterable[str], unit_field: str = "org_unit") -> QuerySet:
    """Filter ``queryset`` to rows the user may see through ``roles``.

    ``unit_field`` names the row's OrgUnit foreign key ("" when the queryset *is* OrgUnit).
    """
    if not user or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    paths = granted_paths(user, roles)
    if not paths:
        return queryset.none()
    return queryset.filter(subtree_q(paths, unit_field))


def visible_units(user, *, roles: Iterable[str]) -> QuerySet:
    return scope(OrgUnit.objects.all(), user, roles=roles, unit_field="")


def covers(user, unit: OrgUnit | None, *, roles: Iterable[str]) -> bool:
    """Does the user hold one of ``roles`` on ``unit`` or an ancestor of it?"""
    if not user or not user.is_authenticated or not user.is_active or unit is None:
        return False
    if user.is_superuser:
        return True
    return any(unit.path.startswith(p) for p in granted_paths(user, roles))


def holds_any(user, roles: Iterable[str]) -> bool:
    """Does the user hold one of ``roles`` anywhere (superusers hold everything)?"""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(granted_paths(user, roles))


def forget(user) -> None:
    """Drop the per-request caches after a grant changes."""
    for holder in (user, getattr(user, "_wrapped", None)):  # request.user's lazy wrapper and the user inside
        for key in ("_role_grants", "_scope_paths_cache", "_held_roles"):
            getattr(holder, "__dict__", {}).pop(key, None)
