"""With production settings (DEBUG=0) the policy header is sent and the API schema and docs ask for sign-in.

Runs in a fresh interpreter because DEBUG is read once, when the settings load.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Pages render with the hashed names of collected static files; this probe has not collected them.
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
client = Client()
out = {"debug": settings.DEBUG, "docs_permissions": settings.SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]}
for url in ("/api/schema/", "/api/docs/", "/api/v1/me/"):
    r = client.get(url, secure=True, headers={"host": "yiwang.example.gov.cn"})
    out[url] = [r.status_code, r.get("Content-Security-Policy", "")]
print(json.dumps(out))
"""


def test_production_sends_the_policy_and_closes_schema_and_docs_to_anonymous_callers(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="yiwang.example.gov.cn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["debug"] is False
    assert out["docs_permissions"] == ["datahub.api.permissions.DocsAccess"]
    for url in ("/api/schema/", "/api/docs/"):
        status, csp = out[url]
        assert status == 401, url
        assert "default-src 'self'" in csp
    status, csp = out["/api/v1/me/"]
    assert status == 401
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
