"""Pages of a person's own credentials, and a bureau administrator's revoke button. Writes go through services."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views
from django.views.decorators.http import require_POST

from .. import selectors as directory_selectors
from ..navigation import landing_for
from ..params import as_id
from . import rules, selectors, services
from .middleware import forget_password_expiry, password_expired


class LoginView(auth_views.LoginView):
    """Django's sign-in page; without a ``next`` the user lands where their role's landing says (leaders on
    the command center), else on the home page. A language the person chose and saved follows them to any
    browser; until they choose one, the browser keeps the language it reads in."""

    def get_default_redirect_url(self):
        name = landing_for(self.request.user)
        return reverse(name) if name else super().get_default_redirect_url()

    def form_valid(self, form):
        response = super().form_valid(form)
        saved = form.get_user().language
        if not saved:
            return response
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            saved,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response


def set_language(request):
    """Django's language switch, and for a signed-in person the choice saved on their account (their
    e-mails and notifications are written in it)."""
    response = i18n_views.set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        services.save_language(user=request.user, language=request.POST.get("language", ""))
    return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page, plus: an expired password is named as the reason, and changing it lifts the block."""

    success_url = reverse_lazy("password-change-done")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, expired=password_expired(self.request))

    def form_valid(self, form):
        response = super().form_valid(form)
        forget_password_expiry(self.request)
        return response


@login_required
def account_security(request):
    return render(
        request,
        "datahub/account_security.html",
        {
            "tokens": selectors.live_api_tokens_of(request.user),
            "password_expires_at": selectors.password_expires_at(request.user),
            "token_hours": rules.api_token_lifetime().total_seconds() // 3600,
        },
    )


@login_required
@require_POST
def revoke_own_token(request, pk):
    api_token = selectors.api_token_of(request.user, as_id(pk) or 0)
    if api_token is None:
        raise Http404(_("没有该令牌。"))
    if services.revoke_api_token(actor=request.user, api_token=api_token):
        messages.success(request, _("已吊销令牌 %(prefix)s…。") % {"prefix": api_token.prefix})
    return redirect("account-security")


@login_required
@require_POST
def revoke_own_tokens(request):
    count = services.revoke_api_tokens_of(actor=request.user, user=request.user)
    messages.success(request, _("已吊销您的全部 %(count)s 个有效API令牌。") % {"count": count})
    return redirect("account-security")


@login_required
@require_POST
def revoke_person_tokens(request, pk):
    """A bureau administrator revokes every live token of a person in their subtree (service checks it)."""
    person = get_object_or_404(directory_selectors.people_for(request.user, active=None), pk=as_id(pk) or 0)
    try:
        count = services.revoke_api_tokens_of(actor=request.user, user=person)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("已吊销“%(person)s”的 %(count)s 个有效API令牌。") % {"person": person, "count": count}
        )
    return redirect("person-detail", pk=person.pk)
