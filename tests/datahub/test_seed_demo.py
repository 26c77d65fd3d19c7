import io
import os
import subprocess
from pathlib import Path
from types import SimpleNamespace
from unittest.mock import patch

from django.core.management import call_command

from datahub.models import OrgUnit, User
from datahub.roles import Role
from tests.sharing import shared_fixture


def build_seeded():
    """The demo seeded twice, as every `make run` seeds it again: the second time with PORT=8001 (`PORT=8001 make
    run`: the Makefile hands PORT to seed_demo, which prints the address served, issue #19)."""
    call_command("seed_demo", stdout=io.StringIO())
    counts = (OrgUnit.objects.count(), User.objects.count())
    out = io.StringIO()
    with patch.dict(os.environ, {"PORT": "8001"}):
        call_command("seed_demo", stdout=out)
    return SimpleNamespace(counts_after_first=counts, second_output=out.getvalue())


shared_seeded, seeded = shared_fixture("seeded", build_seeded)


def test_seed_demo_is_idempotent_and_creates_every_demo_role(seeded):
    assert "http://127.0.0.1:8001/" in seeded.second_output
    assert (OrgUnit.objects.count(), User.objects.count()) == seeded.counts_after_first
    granted = set(
        User.objects.filter(orgunituserpermission__isnull=False).values_list(
            "orgunituserpermission__permission__codename", flat=True
        )
    )
    assert granted == {f"role_{r}" for r in Role.values if r != Role.CIVIL_SERVANT}
    assert User.objects.filter(is_superuser=True).count() == 1
    assert set(User.objects.values_list("post_level", flat=True)) >= {"121", "131", "141", "150", "160"}


def test_seed_demo_files_requests_in_several_states(seeded):
    from portal.models import Ticket

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
