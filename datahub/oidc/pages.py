"""应用接入: the pages where a bureau administrator or data steward registers a department's system, sees its
client id, gives it a new secret (shown once), suspends and resumes it. Reads through selectors, writes
through services; every page is limited to the systems of the units the user manages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from .. import scoping
from ..forms import add_service_errors
from ..paging import page_of, query_without_page
from ..params import as_id
from . import rules, selectors, services
from .forms import SuspendForm, SystemForm
from .models import RegisteredSystem


def _require_manager(request) -> None:
    if not scoping.holds_any(request.user, rules.SYSTEM_MANAGERS):
        raise PermissionDenied(_("只有机关事务管理局管理员或数据管理员可以管理接入系统。"))


def _system_or_404(request, pk) -> RegisteredSystem:
    _require_manager(request)
    return get_object_or_404(selectors.systems_for(request.user), pk=as_id(pk) or 0)


def _endpoints(request) -> dict:
    base = request.build_absolute_uri("/o")
    return {
        "issuer": base,
        "discovery": f"{base}/.well-known/openid-configuration",
        "token": f"{base}/token/",
    }


@login_required
def system_list(request):
    _require_manager(request)
    qs = selectors.systems_for(
        request.user, search=(request.GET.get("q") or "").strip(), status=request.GET.get("status") or ""
    )
    return render(
        request,
        "datahub/oidc/system_list.html",
        {
            "page": page_of(request, qs),
            "query": query_without_page(request),
            "statuses": RegisteredSystem.Status.choices,
        },
    )


def _detail(request, system, *, secret: str | None = None, status: int = 200):
    return render(
        request,
        "datahub/oidc/system_detail.html",
        {
            "system": system,
            "secret": secret,
            "scope_labels": [(s, rules.ALL_SCOPES.get(s, s)) for s in system.scopes],
            "endpoints": _endpoints(request),
            "suspend_form": SuspendForm(),
        },
        status=status,
    )


@login_required
def system_create(request):
    _require_manager(request)
    units = scoping.visible_units(request.user, roles=rules.SYSTEM_MANAGERS)
    form = SystemForm(request.POST or None, user=request.user, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            system, secret = services.system_register(
                actor=request.user, org_unit=form.cleaned_data["org_unit"], request=request, **form.service_data()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("org_unit", str(exc))
        else:
            messages.success(
                request,
                _("已登记接入系统“%(name)s”。请立即复制客户端密钥，离开本页后将无法再次查看。") % {"name": system.name},
            )
            return _detail(request, system, secret=secret, status=201)
    return render(
        request,
        "datahub/oidc/system_form.html",
        {"form": form, "title": _("登记接入系统"), "cancel_url": reverse("system-list")},
    )


@login_required
def system_detail(request, pk):
    return _detail(request, _system_or_404(request, pk))


@login_required
def system_update(request, pk):
    system = _system_or_404(request, pk)
    app = system.application
    initial = {
        "name": system.name,
        "kind": system.kind,
        "scopes": system.scopes,
        "redirect_uris": "\n".join(app.redirect_uris.split()),
        "post_logout_redirect_uris": "\n".join(app.post_logout_redirect_uris.split()),
        "contact_name": system.contact_name,
        "contact_phone": system.contact_phone,
        "contact_email": system.contact_email,
        "description": system.description,
        "skip_consent": app.skip_authorization,
    }
    form = SystemForm(request.POST or None, initial=initial, user=request.user, units=None, system=system)
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        data.setdefault("skip_consent", app.skip_authorization)
        try:
            services.system_update(actor=request.user, system=system, request=request, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存“%(name)s”的登记信息。") % {"name": system.name})
            return redirect("system-detail", pk=system.pk)
    return render(
        request,
        "datahub/oidc/system_form.html",
        {
            "form": form,
            "title": _("编辑接入系统：%(name)s") % {"name": system.name},
            "cancel_url": reverse("system-detail", args=[system.pk]),
        },
    )


@login_required
@require_POST
def system_rotate(request, pk):
    system = _system_or_404(request, pk)
    secret = services.system_rotate_secret(actor=request.user, system=system, request=request)
    system.refresh_from_db()
    messages.success(request, _("已更换客户端密钥，旧密钥立即失效。请立即复制新密钥，离开本页后将无法再次查看。"))
    return _detail(request, system, secret=secret)


@login_required
@require_POST
def system_suspend(request, pk):
    system = _system_or_404(request, pk)
    form = SuspendForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"reason": _("请填写停用原因。")})
        services.system_suspend(actor=request.user, system=system, reason=form.cleaned_data["reason"], request=request)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("已停用“%(name)s”，其全部令牌已立即失效。") % {"name": system.name})
    return redirect("system-detail", pk=system.pk)


@login_required
@require_POST
def system_resume(request, pk):
    system = _system_or_404(request, pk)
    try:
        services.system_resume(actor=request.user, system=system, request=request)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("已恢复“%(name)s”。") % {"name": system.name})
    return redirect("system-detail", pk=system.pk)


# --- 账号安全 → 已授权的接入系统: a person's own consents -----------------------------------------------


@login_required
def consent_list(request):
    """The systems the signed-in person agreed to sign in to, with what each receives; their own rows only."""
    consents = [
        {"consent": c, "scope_labels": selectors.scope_labels(c.scopes)} for c in selectors.consents_of(request.user)
    ]
    return render(request, "datahub/oidc/consent_list.html", {"consents": consents})


@login_required
@require_POST
def consent_revoke(request, pk):
    # Another person's consent is not found (404), never revoked: the list is the person's own.
    consent = get_object_or_404(selectors.consents_of(request.user), pk=as_id(pk) or 0)
    name = consent.system.name
    try:
        count = services.consent_revoke(actor=request.user, consent=consent, request=request)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request,
            _("已撤销对“%(name)s”的授权，删除其令牌 %(count)s 个；再次登录该系统时将重新征求您的同意。")
            % {"name": name, "count": count},
        )
    return redirect("consent-list")
