"""The Content-Security-Policy allows only the platform's own files, and no template relies on what it
forbids (inline <script>/<style>, on*= handlers, style= attributes). The API schema and docs are for
signed-in people in production (tests run with DEBUG off, as production does)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on*= handler"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_pages_carry_a_policy_that_allows_only_the_platforms_own_files(client, people):
    client.force_login(people.clerk_a1)
    directives = policy(client.get(reverse("home")))
    for kind in ("default-src", "script-src", "style-src", "connect-src", "font-src"):
        assert directives[kind] == ["'self'"], kind
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert not any("unsafe" in source for sources in directives.values() for source in sources)


@pytest.mark.parametrize("url", ["/accounts/login/", "/api/v1/me/", "/admin/login/"])
def test_every_kind_of_response_carries_the_policy(client, url):
    assert "script-src 'self'" in client.get(url)["Content-Security-Policy"]


def templates():
    for folder in [ROOT / "templates", *ROOT.glob("*/templates")]:
        if ".venv" not in folder.parts:
            yield from folder.rglob("*.html")


def test_no_template_uses_inline_code_or_styles():
    found = []
    for path in templates():
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(ROOT)}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert list(templates()), "no templates found"
    assert found == []


def test_the_guard_catches_what_it_looks_for():
    samples = ["<script>alert(1)</script>", "<style>p{}</style>", '<a onclick="x()">', '<p style="color:red">']
    for sample in samples:
        assert any(pattern.search(sample) for pattern, _ in INLINE), sample
    assert not any(pattern.search('<script src="/static/js/app.js" defer></script>') for pattern, _ in INLINE)


def test_the_front_end_script_is_a_static_file_of_the_platform(client, people):
    client.force_login(people.clerk_a1)
    page = client.get(reverse("home")).content.decode()
    assert '<script src="/static/js/app.js" defer></script>' in page
    assert (ROOT / "static/js/app.js").exists()


# --- API schema and Swagger UI -----------------------------------------------------------------------


def test_schema_and_docs_need_sign_in_in_production(client):
    assert settings.DEBUG is False
    assert client.get("/api/schema/").status_code == 401
    docs = client.get("/api/docs/")
    assert docs.status_code == 401
    assert f'href="{reverse("login")}?next=/api/docs/"' in docs.content.decode()


def test_schema_and_docs_are_served_to_signed_in_people(client, people):
    client.force_login(people.clerk_a1)
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


@override_settings(DEBUG=True)
def test_schema_and_docs_are_open_while_developing(client):
    assert client.get("/api/schema/").status_code == 200


def test_swagger_ui_runs_from_static_files_under_the_policy(client, people):
    client.force_login(people.clerk_a1)
    response = client.get("/api/docs/")
    page = response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert not [what for pattern, what in INLINE if pattern.search(page)]
    sources = re.findall(r'<script src="([^"]+)"', page)
    assert sources == [
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-standalone-preset.js",
        "/static/js/swagger-init.js",
    ]
    assert 'data-schema-url="/api/schema/"' in page
    assert "validatorUrl&quot;: null" in page  # no badge fetched from the internet


def test_the_schema_documents_the_expiring_token_scheme(client, people):
    client.force_login(people.clerk_a1)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    assert "/api/v1/auth/token/revoke/" in schema["paths"]


def _headers_from(middleware_class, *, path="/portal/", nonce=None, **on_response) -> dict:
    from django.http import HttpResponse
    from django.test import RequestFactory

    def view(request):
        response = HttpResponse("ok")
        for name, value in on_response.items():
            setattr(response, name, value)
        return response

    request = RequestFactory().get(path)
    if nonce is not None:
        request._csp_nonce = nonce  # as if a template had asked for request.csp_nonce
    response = middleware_class(view)(request)
    return {k: v for k, v in response.items() if k.startswith("Content-Security-Policy")}


@pytest.mark.parametrize(
    "case",
    [
        {},
        {"nonce": "bm9uY2U="},
        {"_csp_update": {"form-action": ["https://idp.example"]}},
        {"_csp_replace": {"img-src": ["'self'"]}},
        {"_csp_config": {"default-src": ["'none'"]}},
        {"_csp_exempt": True},
        {"path": "/excluded/"},
    ],
)
@pytest.mark.parametrize(
    "policies",
    [
        {},
        {"CONTENT_SECURITY_POLICY_REPORT_ONLY": {"DIRECTIVES": {"default-src": ["'self'"], "report-uri": "/csp/"}}},
        {
            "CONTENT_SECURITY_POLICY": {
                "DIRECTIVES": {"default-src": ["'self'"]},
                "EXCLUDE_URL_PREFIXES": ["/excluded/"],
            }
        },
    ],
)
def test_the_policy_built_once_is_the_one_csp_builds_for_every_response(case, policies):
    # datahub.middleware.SettingsCSPMiddleware keeps the settings' policies; django-csp builds them per response.
    from csp.middleware import CSPMiddleware

    from datahub.middleware import SettingsCSPMiddleware

    with override_settings(**policies):
        assert _headers_from(SettingsCSPMiddleware, **case) == _headers_from(CSPMiddleware, **case)
    assert settings.MIDDLEWARE.count("datahub.middleware.SettingsCSPMiddleware") == 1
