"""scripts/backup.sh and scripts/restore.sh: a backup restored into a fresh database is the same data.

Fills the database through the services (people and their history, units, role grants, portal requests
with their timelines, steps and notifications), adds uploaded files, backs up, restores into a new
database and an empty media directory, and compares the row count of every table, every sequence, a
checksum of the audit/history trail and the files. The rows must be committed (pg_dump reads from its
own connection), hence a transactional test.
"""

import hashlib
import re
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
# The append-only trail: django-simple-history tables, ticket timelines, asset movements, sign-in and
# personal-data audit logs, the admin's log.
TRAIL = re.compile(r"historical|timeline|movement|audit|accesslog|accessfailurelog|admin_log")

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (pg_dump / pg_restore)")


def url_of(name: str) -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def snapshot(url: str) -> dict:
    """Row counts of every table, every sequence's position, and one checksum per trail table."""
    with psycopg.connect(url) as conn:
        tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        sequences = dict(
            conn.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'").fetchall()
        )
        trail = {
            t: conn.execute(
                f"""SELECT md5(coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), '')) FROM "{t}" r"""
            ).fetchone()[0]
            for t in tables
            if TRAIL.search(t)
        }
    return {"counts": counts, "sequences": sequences, "trail": trail}


def files_in(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
    }


def run(script: str, *args: str, env: dict) -> subprocess.CompletedProcess:
    result = subprocess.run(
        ["bash", f"scripts/{script}", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def fill(staff, tree) -> None:
    """Rows in many tables and a trail worth checking, written the way the platform writes them."""
    from datahub import services as directory
    from portal import services as portal
    from portal.models import TicketStep
    from tests.factories import UserFactory
    from tests.portal.conftest import REPAIR

    for n in range(40):
        person = UserFactory(org_unit=tree.a1 if n % 2 else tree.b1, name=f"备份测试{n}")
        directory.update_user(actor=staff.admin_a if n % 2 else staff.admin_b, user=person, phone=f"1380000{n:04d}")
    for n in range(5):
        ticket = portal.file_request(
            requester=staff.clerk_a1, kind_code="repair", detail_fields={**REPAIR, "location": f"{n}号楼"}
        )
        if n % 2:
            step = ticket.steps.get(decision=TicketStep.Decision.PENDING)
            portal.decide(actor=staff.head_a1, ticket=ticket, step_id=step.pk, decision=TicketStep.Decision.APPROVED)


def test_a_backup_restores_into_a_fresh_database_with_the_same_rows_trail_and_files(
    tmp_path, staff, tree, eager_celery
):
    """Celery eager on purpose: the e-mails of the requests are sent in-process, none left queued."""
    fill(staff, tree)
    media = tmp_path / "media"
    (media / "portal" / "attachments").mkdir(parents=True)
    (media / "portal" / "attachments" / "报修照片.pdf").write_bytes(b"%PDF-1.4 demo\n" * 100)
    (media / "exports").mkdir()
    (media / "exports" / "人员名录.xlsx").write_bytes(bytes(range(256)) * 40)
    source = url_of(connection.settings_dict["NAME"])
    restored_name = f"{connection.settings_dict['NAME']}_restored"
    restored = url_of(restored_name)
    base = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}

    backup = run("backup.sh", str(tmp_path / "backups"), env={**base, "DATABASE_URL": source, "MEDIA_ROOT": str(media)})
    backup_dir = backup.stdout.strip().splitlines()[-1]
    try:
        run("restore.sh", backup_dir, env={**base, "DATABASE_URL": restored, "MEDIA_ROOT": str(tmp_path / "back")})
        before, after = snapshot(source), snapshot(restored)
    finally:
        with psycopg.connect(url_of("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored_name}"')

    assert after["counts"] == before["counts"]
    assert after["sequences"] == before["sequences"]
    assert after["trail"] == before["trail"]
    assert files_in(tmp_path / "back") == files_in(media)
    # Not a comparison of two empty databases.
    assert sum(before["counts"].values()) > 200
    assert {t for t in before["trail"] if before["counts"][t] > 0} >= {"datahub_historicaluser", "portal_timelineentry"}


def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    source = url_of(connection.settings_dict["NAME"])
    base = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}
    media = tmp_path / "media"
    backup = run("backup.sh", str(tmp_path / "b"), env={**base, "DATABASE_URL": source, "MEDIA_ROOT": str(media)})
    result = subprocess.run(
        ["bash", "scripts/restore.sh", backup.stdout.strip()],
        cwd=ROOT,
        env={**base, "DATABASE_URL": source, "MEDIA_ROOT": str(tmp_path / "back")},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 1
    assert "not empty" in result.stderr
    assert not (tmp_path / "back").exists()


def test_restore_refuses_a_backup_whose_checksum_does_not_match(tmp_path):
    source = url_of(connection.settings_dict["NAME"])
    base = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}
    backup = run(
        "backup.sh", str(tmp_path / "b"), env={**base, "DATABASE_URL": source, "MEDIA_ROOT": str(tmp_path / "m")}
    )
    backup_dir = Path(backup.stdout.strip())
    with open(backup_dir / "database.dump", "ab") as dump:
        dump.write(b"tampered")
    restored_name = f"{connection.settings_dict['NAME']}_never"
    result = subprocess.run(
        ["bash", "scripts/restore.sh", str(backup_dir)],
        cwd=ROOT,
        env={**base, "DATABASE_URL": url_of(restored_name), "MEDIA_ROOT": str(tmp_path / "back")},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode != 0
    assert "database.dump: FAILED" in result.stdout
    with psycopg.connect(url_of("postgres")) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [restored_name]).fetchone()
    assert exists is None
