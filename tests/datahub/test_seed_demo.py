import io
import subprocess
from pathlib import Path

from django.core.management import call_command

from datahub.models import OrgUnit, User
from datahub.roles import Role


def test_seed_demo_is_idempotent_and_creates_every_demo_role(db, monkeypatch):
    call_command("seed_demo")
    counts = (OrgUnit.objects.count(), User.objects.count())
    # `PORT=8001 make run`: the Makefile hands PORT to seed_demo, which prints the address served (issue #19).
    monkeypatch.setenv("PORT", "8001")
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "http://127.0.0.1:8001/" in out.getvalue()
    assert (OrgUnit.objects.count(), User.objects.count()) == counts
    granted = set(
        User.objects.filter(orgunituserpermission__isnull=False).values_list(
            "orgunituserpermission__permission__codename", flat=True
        )
    )
    assert granted == {f"role_{r}" for r in Role.values if r != Role.CIVIL_SERVANT}
    assert User.objects.filter(is_superuser=True).count() == 1
    assert set(User.objects.values_list("post_level", flat=True)) >= {"121", "131", "141", "150", "160"}


def test_seed_demo_files_requests_in_several_states(db):
    from portal.models import Ticket

    call_command("seed_demo")
    call_command("seed_demo")
    # The portal's own demo requests (domain apps' demos file theirs on top; each app's tests check those).
    # (Bundle members are the collaboration demo's, checked with the bundles.)
    portal_demo = Ticket.objects.filter(kind__in=["repair", "asset_requisition"], bundle__isnull=True)
    # The collaboration demo takes the approved repair into handling (with a co-handling part) and adds a
    # 大中修 repair waiting for its countersign.
    assert sorted(portal_demo.values_list("status", flat=True)) == ["done", "in_progress", "in_review", "in_review"]


def test_make_run_serves_on_the_port_asked_for():
    root = Path(__file__).resolve().parents[2]
    plan = subprocess.run(["make", "-n", "run", "PORT=8001"], cwd=root, capture_output=True, text=True).stdout
    assert "runserver 127.0.0.1:8001" in plan
    assert "PORT=8001" in plan and "seed_demo" in plan
