"""The sign-in pages of the identity provider, in Chinese: consent, refusals, and the RP-initiated logout.

The protocol itself is django-oauth-toolkit's; these subclasses only choose our templates, tell the person
in Chinese what went wrong, and put a Chinese ``error_description`` in the standard error redirect.
"""

from urllib.parse import parse_qs, urlencode, urlsplit

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oauth2_provider.exceptions import OAuthToolkitError
from oauth2_provider.views import AuthorizationView, RPInitiatedLogoutView

from . import rules, selectors, services

# Errors that must not go back to the system (its identity or its address is in doubt): shown on our page.
FATAL_MESSAGES = {
    "InvalidClientIdError": gettext_lazy("该接入系统不存在或已停用，无法登录。请联系该系统的建设单位。"),
    "MissingClientIdError": gettext_lazy("登录请求缺少接入系统标识（client_id）。"),
    "MismatchingRedirectURIError": gettext_lazy("回调地址与该系统登记的地址不一致，为防止账号被冒用，已拒绝登录。"),
    "InvalidRedirectURIError": gettext_lazy("回调地址格式不正确，已拒绝登录。"),
    "MissingRedirectURIError": gettext_lazy("登录请求缺少回调地址（redirect_uri）。"),
}
# Errors returned to the system by the standard redirect, with a Chinese description.
REDIRECT_DESCRIPTIONS = {
    "invalid_scope": gettext_lazy("该系统申请的授权范围未经登记。"),
    "access_denied": gettext_lazy("用户拒绝了授权。"),
    "unauthorized_client": gettext_lazy("该系统未登记为单点登录系统。"),
    "unsupported_response_type": gettext_lazy("只支持授权码模式（response_type=code）。"),
    "invalid_request": gettext_lazy("登录请求不完整或不正确。"),
}


def scope_rows(scopes) -> list[dict]:
    """What the consent page lists: each scope with the facts it hands over."""
    rows = []
    for scope in scopes:
        claims = rules.SCOPE_CLAIMS.get(scope, ())
        rows.append(
            {
                "scope": scope,
                "label": rules.ALL_SCOPES.get(scope, scope),
                "claims": [rules.CLAIM_LABELS[c] for c in claims],
            }
        )
    return rows


def _allow_form_redirect(response, uri: str | None):
    """The consent and sign-out forms post to us and are redirected to the system: Chromium applies the
    page's CSP ``form-action`` to that redirect too, so the page names the system's registered origin."""
    parts = urlsplit(uri or "")
    if response.status_code == 200 and parts.scheme in ("http", "https") and parts.netloc:
        response._csp_update = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}
    return response


class AuthorizeView(AuthorizationView):
    """DOT's authorize endpoint, plus a stored consent (``Consent``): a person who agreed once is not asked
    again for the same or fewer scopes, and is asked again when the system asks for more. A system can still
    ask for the page with ``prompt=consent`` (OpenID Connect) or ``approval_prompt=force``."""

    template_name = "datahub/oidc/authorize.html"
    _asked = None

    def validate_authorization_request(self, request):
        # Kept so that a stored consent can answer exactly as DOT's own skip does (same credentials object).
        scopes, credentials = super().validate_authorization_request(request)
        self._asked = (scopes, credentials)
        return scopes, credentials

    def create_authorization_response(self, request, scopes, credentials, allow):
        uri, headers, body, status = super().create_authorization_response(request, scopes, credentials, allow)
        # oauthlib answers a bad request (a scope edited in the form, say) with an error redirect, not an
        # exception: only a redirect carrying a code means the person's agreement took effect.
        if allow and request.method == "POST" and "code" in parse_qs(urlsplit(uri or "").query):
            # The person pressed 同意 and the code was issued: remember what they agreed to.
            application = selectors.application_by_client_id(credentials.get("client_id"))
            if application is not None:
                services.consent_grant(
                    actor=request.user, application=application, scopes=scopes.split(), request=request
                )
        return uri, headers, body, status

    def _answer_from_stored_consent(self, context):
        application, asked = context.get("application"), self._asked
        if self.request.method != "GET" or asked is None or application is None or "form" not in context:
            return None
        if context.get("error") or "consent" in self.request.GET.get("prompt", "").split():
            return None
        if self.request.GET.get("approval_prompt") == "force":
            return None
        scopes, credentials = asked
        if not selectors.consent_covers(self.request.user, application, scopes):
            if "none" in self.request.GET.get("prompt", "").split():
                return self._consent_required(application, credentials)
            return None
        try:
            uri, _headers, _body, _status = super().create_authorization_response(
                request=self.request, scopes=" ".join(scopes), credentials=credentials, allow=True
            )
        except OAuthToolkitError as error:
            return self.error_response(error, application)
        return self.redirect(uri, application)

    def _consent_required(self, application, credentials):
        """``prompt=none`` and nothing agreed yet: OpenID Connect's ``consent_required`` back to the system (its
        redirect URI is validated by now), never a page the person was told not to see."""
        params = {"error": "consent_required", "error_description": _("用户尚未同意向该系统提供所申请的信息。")}
        if credentials.get("state"):
            params["state"] = credentials["state"]
        uri = credentials["redirect_uri"]
        return self.redirect(f"{uri}{'&' if '?' in uri else '?'}{urlencode(params)}", application)

    def render_to_response(self, context, **kwargs):
        # DOT renders the consent page only once it has decided to ask (no skip, no live token covering the
        # scopes): that is where a stored consent answers instead.
        remembered = self._answer_from_stored_consent(context)
        if remembered is not None:
            return remembered
        response = super().render_to_response(context, **kwargs)
        # Only a validated redirect URI reaches the consent form (an unregistered one is a fatal error).
        if "form" in context and not context.get("error"):
            _allow_form_redirect(response, context.get("redirect_uri"))
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = context.get("application")
        if application is not None:
            context["system"] = selectors.registration_of(application)
            context["scope_rows"] = scope_rows(context.get("scopes") or [])
        return context

    def error_response(self, error, application, **kwargs):
        oauthlib_error = error.oauthlib_error
        name = type(oauthlib_error).__name__
        if name in FATAL_MESSAGES:
            kwargs["message"] = FATAL_MESSAGES[name]
        else:
            description = REDIRECT_DESCRIPTIONS.get(oauthlib_error.error)
            if oauthlib_error.error == "invalid_request" and "challenge" in (oauthlib_error.description or "").lower():
                description = _("必须使用 PKCE（code_challenge，方法 S256）。")
            elif oauthlib_error.error == "invalid_scope":
                asked = set(self.request.GET.get("scope", "").split())
                allowed = set(
                    selectors.registered_scopes(oauthlib_error.client_id or self.request.GET.get("client_id"))
                )
                extra = sorted(asked - allowed)
                if extra:
                    description = _("该系统申请的授权范围未经登记：%(names)s。") % {"names": " ".join(extra)}
            if description:
                oauthlib_error.description = description
            kwargs["message"] = description or oauthlib_error.description
        return super().error_response(error, application, **kwargs)


class LogoutView(RPInitiatedLogoutView):
    """The sign-out a system asks for: ends the platform session (every system's single sign-on) and the
    tokens the asking system holds for this person."""

    template_name = "datahub/oidc/logout_confirm.html"

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        application = context.get("application")
        uri = self.request.GET.get("post_logout_redirect_uri")
        # Only an address registered for the asking system (strict matching is on) may widen the policy.
        if application is not None and uri and application.post_logout_redirect_uri_allowed(uri):
            _allow_form_redirect(response, uri)
        return response
