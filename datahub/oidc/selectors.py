"""Reads of unified identity: registered systems (scoped by unit) and the claims of a person."""

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import translation
from oauth2_provider.models import get_application_model

from .. import scoping
from ..models import OrgUnit, OrgUnitUserPermission, User
from ..roles import Role
from ..rules import PostLevel, Rank
from . import rules
from .models import Consent, RegisteredSystem, Subject

Application = get_application_model()


def systems_for(user, *, search: str = "", status: str = "") -> QuerySet:
    """The systems of the units where ``user`` manages systems (bureau administrator or data steward),
    narrowed by a name or an exact client id (``search``) and a status (an unknown one narrows nothing)."""
    qs = RegisteredSystem.objects.select_related("application", "org_unit", "created_by")
    qs = scoping.scope(qs, user, roles=rules.SYSTEM_MANAGERS)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(application__client_id=search))
    if status in RegisteredSystem.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("org_unit__path", "name")


def registration_of(application) -> RegisteredSystem | None:
    """The registration of an OAuth2 client, cached on it (the validator asks several times per request)."""
    if application is None:
        return None
    cached = application.__dict__.get("_registration")
    if cached is None:
        cached = RegisteredSystem.objects.select_related("org_unit").filter(application_id=application.pk).first()
        application.__dict__["_registration"] = cached
    return cached


def subject_of(user) -> str | None:
    return Subject.objects.filter(user=user).values_list("sub", flat=True).first()


def _unit_claim(unit: OrgUnit | None) -> dict | None:
    if unit is None:
        return None
    chain = [*OrgUnit.objects.get_ancestors(unit), unit]
    return {
        "id": unit.code,
        "name": unit.name,
        "uscc": unit.uscc or next((u.uscc for u in reversed(chain) if u.uscc), None),
        "path": " / ".join(u.name for u in chain),
        "level": unit.level,
    }


def _role_claims(user) -> list[dict]:
    grants = (
        OrgUnitUserPermission.objects.filter(
            user=user, permission__codename__startswith="role_", content_object__is_active=True
        )
        .select_related("permission", "content_object")
        .order_by("content_object__path", "permission__codename")
    )
    labels = _plain(Role.choices)
    out = []
    for g in grants:
        code = g.permission.codename.removeprefix("role_")
        out.append(
            {
                "role": code,
                "label": labels.get(code, code),
                "unit": {"id": g.content_object.code, "name": g.content_object.name},
            }
        )
    if user.org_unit_id:
        out.append(
            {
                "role": Role.CIVIL_SERVANT.value,
                "label": labels[Role.CIVIL_SERVANT.value],
                "unit": {"id": user.org_unit.code, "name": user.org_unit.name},
            }
        )
    return out


def _plain(choices) -> dict[str, str]:
    """Choice labels as claims carry them: plain Chinese strings, whatever language the person reads the
    platform in (a claim is data for the relying system, and the OIDC library serialises it as JSON)."""
    with translation.override(settings.LANGUAGE_CODE):
        return {code: str(label) for code, label in choices}


def claims_of(user: User, sub: str) -> dict:
    """Every claim the directory holds about ``user`` (the validator releases those of the granted scopes).

    Built from the directory at the moment of sign-in, so a system never keeps its own copy to type again.
    身份证号, phone and e-mail are not read at all.
    """
    post_levels, ranks = _plain(PostLevel.choices), _plain(Rank.choices)
    return {
        "sub": sub,
        "name": user.name or user.username,
        "preferred_username": user.username,
        "unit": _unit_claim(user.org_unit),
        "post_level": {"code": user.post_level, "label": post_levels.get(user.post_level, "")}
        if user.post_level
        else None,
        "rank": {"code": user.rank, "label": ranks.get(user.rank, "")} if user.rank else None,
        "job_title": user.job_title,
        "roles": _role_claims(user),
    }


def registered_scopes(client_id: str | None) -> list[str]:
    if not client_id:
        return []
    return (
        RegisteredSystem.objects.filter(application__client_id=client_id).values_list("scopes", flat=True).first() or []
    )


def consent_covers(user, application, scopes) -> bool:
    """Has ``user`` already agreed that the system of ``application`` receives ``scopes`` (or more)?"""
    if user is None or not user.is_authenticated or application is None:
        return False
    granted = (
        Consent.objects.filter(user=user, system__application_id=application.pk)
        .values_list("scopes", flat=True)
        .first()
    )
    return granted is not None and rules.consent_covers(granted, scopes)


def consents_of(user) -> QuerySet:
    """The systems ``user`` has agreed to sign in to, their own rows only (账号安全)."""
    return (
        Consent.objects.filter(user=user)
        .select_related("system__org_unit", "system__application")
        .order_by("-updated_at", "-pk")
    )


def scope_labels(scopes) -> list[str]:
    return [rules.ALL_SCOPES.get(s, s) for s in scopes]


def application_by_client_id(client_id: str | None):
    if not client_id:
        return None
    return Application.objects.filter(client_id=client_id).first()
