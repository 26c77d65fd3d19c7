"""Every write of unified identity: systems registered, changed, given a new secret, suspended and resumed;
subject identifiers; the audit rows of tokens issued and revoked.

Rules enforced here:
- a system belongs to one unit and is managed only by a bureau administrator or data steward whose grant
  covers that unit (PermissionDenied otherwise, nothing written); only a bureau administrator may mark it
  internal (no consent screen);
- its scopes fit its kind (sign-in systems ask for person scopes and always ``openid``, service systems for
  system scopes), its redirect URIs are absolute, without fragment, https in production;
- the client secret is shown once: it is stored hashed by django-oauth-toolkit, and a rotation replaces it
  at once (the old one stops working);
- suspending a system revokes every token it holds, at once, and refuses new ones until it is resumed;
- a person's consent to a system is stored (person × system × scopes): it widens when the person agrees to
  more and never narrows; only the person revokes it, which deletes it and every token and pending code the
  system holds for that person;
- each of these, and every token issued or revoked, appends a row to the audit trail.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, IDToken, RefreshToken, get_application_model, revoke_access_token
from oauth2_provider.models import Grant as AuthorizationCode

from .. import scoping
from ..models import AuditEntry, OrgUnit, User
from ..services import request_meta
from . import rules
from .models import Consent, RegisteredSystem, Subject

Application = get_application_model()

SYSTEM_FIELDS = (
    "name",
    "kind",
    "scopes",
    "redirect_uris",
    "post_logout_redirect_uris",
    "contact_name",
    "contact_phone",
    "contact_email",
    "description",
    "skip_consent",
)


def _require_manager(actor, unit: OrgUnit | None) -> None:
    if unit is None or not scoping.covers(actor, unit, roles=rules.SYSTEM_MANAGERS):
        name = f"“{unit.name}”" if unit is not None else _("该单位")
        raise PermissionDenied(_("您没有管理%(name)s接入系统的权限。") % {"name": name})


def _locked_for_manager(actor, system: RegisteredSystem) -> RegisteredSystem:
    """The system's row, locked for this transaction, once the actor is known to manage its unit."""
    system = RegisteredSystem.objects.select_for_update().select_related("application").get(pk=system.pk)
    _require_manager(actor, system.org_unit)
    return system


def _audit(*, kind, actor, system: RegisteredSystem, detail: str = "", request=None, subject=None) -> None:
    AuditEntry.objects.create(
        kind=kind,
        actor_id=getattr(actor, "pk", None),
        actor_username=actor.get_username() if actor is not None else f"system:{system.application.client_id}",
        actor_unit_id=getattr(actor, "org_unit_id", None) if actor is not None else system.org_unit_id,
        subject_id=subject.pk if subject is not None else None,
        subject_name=(subject.name if subject is not None else "")[:50],
        # The system's unit: auditors of that unit see what happened to its systems.
        subject_unit_id=subject.org_unit_id if subject is not None else system.org_unit_id,
        surface="oidc",
        detail=f"{system.name}（{system.application.client_id}）{detail}"[:300],
        **request_meta(request=request),
    )


def _uris(text: str) -> list[str]:
    return [u for u in (text or "").split() if u]


def _clean(data: dict, *, actor, unit: OrgUnit, system_pk=None) -> dict:
    """Validate the registration fields; raises ValidationError naming each bad field."""
    errors: dict[str, list[str]] = {}
    unknown = set(data) - set(SYSTEM_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, _("不支持的字段。")))
    name = (data.get("name") or "").strip()
    if not name:
        errors.setdefault("name", []).append(_("请填写系统名称。"))
    elif RegisteredSystem.objects.filter(org_unit=unit, name=name).exclude(pk=system_pk).exists():
        errors.setdefault("name", []).append(
            _("“%(name)s”已登记了名为“%(name2)s”的系统。") % {"name": unit.name, "name2": name}
        )
    kind = data.get("kind")
    if kind not in rules.SystemKind.values:
        errors.setdefault("kind", []).append(_("请选择接入方式。"))
    scopes = list(dict.fromkeys(data.get("scopes") or []))
    if kind in rules.SystemKind.values:
        problems = rules.scope_problems(kind, scopes)
        if not scopes:
            problems.insert(0, _("请至少选择一项授权范围。"))
        if problems:
            errors.setdefault("scopes", []).extend(problems)
    redirect_uris = _uris(data.get("redirect_uris", ""))
    logout_uris = _uris(data.get("post_logout_redirect_uris", ""))
    for field, uris in (("redirect_uris", redirect_uris), ("post_logout_redirect_uris", logout_uris)):
        for uri in uris:
            problem = rules.redirect_uri_problem(uri, debug=settings.DEBUG)
            if problem:
                errors.setdefault(field, []).append(problem)
    if kind and rules.kind_signs_in(kind) and not redirect_uris:
        errors.setdefault("redirect_uris", []).append(_("单点登录的系统至少要登记一个回调地址。"))
    if not (data.get("contact_name") or "").strip():
        errors.setdefault("contact_name", []).append(_("请填写联系人。"))
    if data.get("skip_consent") and not scoping.covers(actor, unit, roles=rules.CONSENT_SKIPPERS):
        errors.setdefault("skip_consent", []).append(_("只有机关事务管理局管理员可以设为内部系统（免授权确认）。"))
    if errors:
        raise ValidationError(errors)
    return {
        **data,
        "name": name,
        "scopes": scopes,
        "redirect_uris": " ".join(redirect_uris),
        "post_logout_redirect_uris": " ".join(logout_uris),
    }


def _apply(system: RegisteredSystem, app, data: dict) -> None:
    system.name = data["name"]
    system.kind = data["kind"]
    system.scopes = data["scopes"]
    for f in ("contact_name", "contact_phone", "contact_email", "description"):
        setattr(system, f, (data.get(f) or "").strip())
    app.name = data["name"][:255]
    app.redirect_uris = data["redirect_uris"]
    app.post_logout_redirect_uris = data["post_logout_redirect_uris"]
    app.skip_authorization = bool(data.get("skip_consent"))
    # One grant type per DOT application; a system that also calls the API gets client credentials through
    # the validator (datahub.oidc.validator), which reads the kind.
    app.authorization_grant_type = (
        Application.GRANT_AUTHORIZATION_CODE
        if rules.kind_signs_in(system.kind)
        else Application.GRANT_CLIENT_CREDENTIALS
    )
    app.client_type = Application.CLIENT_CONFIDENTIAL
    app.algorithm = Application.RS256_ALGORITHM if rules.kind_signs_in(system.kind) else Application.NO_ALGORITHM


@transaction.atomic
def system_register(*, actor, org_unit: OrgUnit, request=None, **data) -> tuple[RegisteredSystem, str]:
    """Register a department's system under ``org_unit``. Returns it and its client secret (shown once)."""
    _require_manager(actor, org_unit)
    data = _clean(data, actor=actor, unit=org_unit)
    secret = generate_client_secret()
    app = Application(client_secret=secret, user=None)
    system = RegisteredSystem(org_unit=org_unit, created_by=actor)
    _apply(system, app, data)
    system.full_clean(exclude=["application", "created_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            app.save()
            system.application = app
            system.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"name": _("“%(name)s”已登记了名为“%(name2)s”的系统。") % {"name": org_unit.name, "name2": system.name}}
        ) from exc
    _audit(
        kind=AuditEntry.Kind.SYSTEM_REGISTERED,
        actor=actor,
        system=system,
        request=request,
        detail=f"，授权范围：{' '.join(system.scopes)}",
    )
    return system, secret


@transaction.atomic
def system_update(*, actor, system: RegisteredSystem, request=None, **data) -> RegisteredSystem:
    """Change a system's registration (not its unit, nor its secret)."""
    system = _locked_for_manager(actor, system)
    data = _clean(data, actor=actor, unit=system.org_unit, system_pk=system.pk)
    app = system.application
    _apply(system, app, data)
    system.full_clean(exclude=["application", "created_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            app.save()
            system.save()
    except IntegrityError as exc:
        raise ValidationError({"name": _("本单位已登记了名为“%(name)s”的系统。") % {"name": system.name}}) from exc
    _audit(
        kind=AuditEntry.Kind.SYSTEM_CHANGED,
        actor=actor,
        system=system,
        request=request,
        detail=f"，授权范围：{' '.join(system.scopes)}",
    )
    return system


@transaction.atomic
def system_rotate_secret(*, actor, system: RegisteredSystem, request=None) -> str:
    """Give the system a new client secret (returned, shown once); the old one stops working at once."""
    system = _locked_for_manager(actor, system)
    secret = generate_client_secret()
    app = system.application
    app.client_secret = secret
    app.save()
    system.secret_rotated_at = timezone.now()
    system.save(update_fields=["secret_rotated_at"])
    _audit(kind=AuditEntry.Kind.SYSTEM_SECRET, actor=actor, system=system, request=request)
    return secret


def _revoke_all_tokens(app) -> int:
    now = timezone.now()
    RefreshToken.objects.filter(application=app, revoked__isnull=True).update(revoked=now)
    count, _ = AccessToken.objects.filter(application=app).delete()
    return count


@transaction.atomic
def system_suspend(*, actor, system: RegisteredSystem, reason: str, request=None) -> RegisteredSystem:
    """Suspend a system: its tokens end now, and it gets no new ones (sign-in and client credentials alike)."""
    system = _locked_for_manager(actor, system)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写停用原因。")})
    if not system.is_active:
        raise ValidationError({"reason": _("该系统已经停用。")})
    system.status = RegisteredSystem.Status.SUSPENDED
    system.suspended_at = timezone.now()
    system.suspend_reason = reason[:200]
    system.save(update_fields=["status", "suspended_at", "suspend_reason"])
    revoked = _revoke_all_tokens(system.application)
    _audit(
        kind=AuditEntry.Kind.SYSTEM_SUSPENDED,
        actor=actor,
        system=system,
        request=request,
        detail=f"，原因：{system.suspend_reason}，吊销令牌 {revoked} 个",
    )
    return system


@transaction.atomic
def system_resume(*, actor, system: RegisteredSystem, request=None) -> RegisteredSystem:
    """Let a suspended system sign people in and obtain tokens again (it must ask for new tokens)."""
    system = _locked_for_manager(actor, system)
    if system.is_active:
        raise ValidationError({"status": _("该系统没有停用。")})
    system.status = RegisteredSystem.Status.ACTIVE
    system.suspended_at = None
    system.suspend_reason = ""
    system.save(update_fields=["status", "suspended_at", "suspend_reason"])
    _audit(kind=AuditEntry.Kind.SYSTEM_RESUMED, actor=actor, system=system, request=request)
    return system


def subject_for(*, user: User) -> str:
    """The person's ``sub``, made on their first sign-in to any system and never changed."""
    subject, _ = Subject.objects.get_or_create(user=user)
    return str(subject.sub)


def record_token_issued(
    *, system: RegisteredSystem, user: User | None, scopes: str, grant_type: str, request=None
) -> None:
    """Audit one token issued at the token endpoint: to a person through a system, or to the system itself."""
    how = {"authorization_code": "登录授权", "refresh_token": "刷新令牌", "client_credentials": "系统凭证"}.get(
        grant_type, grant_type
    )
    _audit(
        kind=AuditEntry.Kind.TOKEN_ISSUED,
        actor=None,
        system=system,
        subject=user,
        request=request,
        detail=f"，{how}，授权范围：{scopes}",
    )


def record_token_revoked(*, system: RegisteredSystem, user: User | None, request=None) -> None:
    _audit(
        kind=AuditEntry.Kind.TOKEN_REVOKED,
        actor=None,
        system=system,
        subject=user,
        request=request,
        detail="，由接入系统吊销",
    )


@transaction.atomic
def tokens_revoke(*, actor, tokens, request=None) -> int:
    """Revoke access tokens (and the refresh tokens issued with them) of systems the actor manages.

    Every token is checked against the actor's scope; one outside it refuses the whole batch.
    """
    tokens = list(tokens.select_related("application__registration__org_unit", "user"))
    for token in tokens:
        system = getattr(token.application, "registration", None)
        _require_manager(actor, system.org_unit if system else None)
    for token in tokens:
        system = token.application.registration
        revoke_access_token(token)
        _audit(
            kind=AuditEntry.Kind.TOKEN_REVOKED,
            actor=actor,
            system=system,
            subject=token.user,
            request=request,
            detail="，由管理员吊销",
        )
    return len(tokens)


@transaction.atomic
def consent_grant(*, actor: User, application, scopes, request=None) -> Consent | None:
    """Store that ``actor`` agreed the system receives ``scopes``: the first time, and each time it asks for
    more (the stored scopes widen, never narrow). Audited whenever the stored scopes change."""
    system = RegisteredSystem.objects.filter(application_id=application.pk).first()
    if system is None or actor is None or not actor.is_authenticated:
        return None
    scopes = list(scopes or [])
    consent = Consent.objects.select_for_update().filter(user=actor, system=system).first()
    now = timezone.now()
    if consent is None:
        consent = Consent.objects.create(user=actor, system=system, scopes=rules.consent_widened([], scopes))
    elif rules.consent_covers(consent.scopes, scopes):
        return consent
    else:
        consent.scopes = rules.consent_widened(consent.scopes, scopes)
        consent.updated_at = now
        consent.save(update_fields=["scopes", "updated_at"])
    _audit(
        kind=AuditEntry.Kind.CONSENT_GRANTED,
        actor=actor,
        system=system,
        subject=actor,
        request=request,
        detail=f"，授权范围：{' '.join(consent.scopes)}",
    )
    return consent


@transaction.atomic
def consent_revoke(*, actor: User, consent: Consent, request=None) -> int:
    """Withdraw ``actor``'s own consent to a system: the consent goes, and with it every access, refresh and ID
    token and every unused code the system holds for the person, so its next sign-in asks again. Only the
    person who consented may revoke (PermissionDenied otherwise, nothing deleted). Returns the tokens deleted."""
    consent = Consent.objects.select_for_update().select_related("system__application").filter(pk=consent.pk).first()
    if consent is None:
        raise ValidationError({"consent": _("该授权已经撤销。")})
    if actor is None or consent.user_id != actor.pk:
        raise PermissionDenied(_("只能撤销本人的授权。"))
    system, app = consent.system, consent.system.application
    mine = {"user": actor, "application": app}
    tokens = AccessToken.objects.filter(**mine).count() + RefreshToken.objects.filter(**mine).count()
    # Refresh tokens first: they point at the access tokens (and the access tokens at the ID tokens).
    RefreshToken.objects.filter(**mine).delete()
    AccessToken.objects.filter(**mine).delete()
    IDToken.objects.filter(**mine).delete()
    AuthorizationCode.objects.filter(**mine).delete()
    scopes = " ".join(consent.scopes)
    consent.delete()
    _audit(
        kind=AuditEntry.Kind.CONSENT_REVOKED,
        actor=actor,
        system=system,
        subject=actor,
        request=request,
        detail=f"，撤销授权范围：{scopes}，删除令牌 {tokens} 个",
    )
    return tokens
