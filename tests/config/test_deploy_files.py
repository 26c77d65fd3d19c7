"""deploy/ holds what an intranet server needs, and it agrees with the code it deploys."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def example_env() -> dict[str, str]:
    pairs = {}
    for line in (DEPLOY / "env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            pairs[name.strip()] = value.strip()
    return pairs


def names_read(path: Path, pattern: str) -> set[str]:
    return set(re.findall(pattern, path.read_text()))


def test_env_example_lists_every_variable_the_settings_read():
    read = names_read(ROOT / "config" / "settings.py", r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]*)"')
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= read  # the pattern does find them
    assert read - example_env().keys() == set()


def test_env_example_lists_every_variable_the_services_read():
    read = names_read(DEPLOY / "gunicorn.conf.py", r'os\.environ\.get\(\s*"([A-Z][A-Z0-9_]*)"')
    for unit in (DEPLOY / "systemd").glob("*.service"):
        read |= names_read(unit, r"\$\{([A-Z][A-Z0-9_]*)\}")
    assert read and read - example_env().keys() == set()


def _production_env(tmp_path, *, signing_key: bool = True) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(example_env())
    env.update(SECRET_KEY=secrets.token_urlsafe(50), DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}")
    env.update(MEDIA_ROOT=str(tmp_path / "media"), STATIC_ROOT=str(tmp_path / "static"))
    key_file = tmp_path / "oidc-signing-key.pem"
    if signing_key:
        from jwcrypto import jwk

        key_file.write_bytes(jwk.JWK.generate(kty="RSA", size=2048).export_to_pem(private_key=True, password=None))
    env.update(OIDC_RSA_PRIVATE_KEY_FILE=str(key_file), OIDC_RSA_PRIVATE_KEY="")
    return env


def _check(env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_example_environment_passes_the_deploy_checks(tmp_path):
    result = _check(_production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_the_id_token_signing_key(tmp_path):
    result = _check(_production_env(tmp_path, signing_key=False))
    assert result.returncode != 0
    assert "datahub.E101" in result.stderr and "OIDC_RSA_PRIVATE_KEY" in result.stderr


def test_production_refuses_a_signing_key_that_is_not_an_rsa_private_key(tmp_path):
    env = _production_env(tmp_path, signing_key=False)
    env.update(OIDC_RSA_PRIVATE_KEY="-----BEGIN PRIVATE KEY-----\\nnot a key\\n-----END PRIVATE KEY-----")
    result = _check(env)
    assert result.returncode != 0 and "datahub.E102" in result.stderr


def test_the_gunicorn_config_loads_the_application(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    gunicorn = Path(sys.executable).parent / "gunicorn"
    result = subprocess.run(
        [str(gunicorn), "--check-config", "-c", "deploy/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_units_run_web_worker_and_exactly_one_beat():
    units = {path.stem: path.read_text() for path in (DEPLOY / "systemd").glob("*.service")}
    assert set(units) == {"yiwang-web", "yiwang-worker", "yiwang-beat"}
    assert "gunicorn -c deploy/gunicorn.conf.py config.wsgi" in units["yiwang-web"]
    assert "celery -A config worker" in units["yiwang-worker"]
    assert "celery -A config beat" in units["yiwang-beat"]
    assert all("EnvironmentFile=/etc/yiwang/env" in text for text in units.values())


def test_nginx_serves_the_collected_static_files_and_never_the_uploads():
    conf = (DEPLOY / "nginx" / "yiwang.conf").read_text()
    static = re.search(r"location /static/ \{\s*alias ([^;]+);", conf).group(1)
    assert static.rstrip("/") == example_env()["STATIC_ROOT"]
    assert re.search(r"location /media/ \{\s*return 404;", conf)
    assert "http://" not in conf.replace("http://yiwang_web", "")  # nothing fetched from outside
