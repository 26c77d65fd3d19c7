"""The demo round on a database not yet seeded (test_demo.py's tests share one seeded demo)."""

import io

from assessment import demo
from datahub.models import OrgUnit
from tests.factories import superuser


def test_demo_adds_no_org_unit(db, tree):
    superuser()
    before = set(OrgUnit.objects.values_list("pk", flat=True))
    demo.seed(io.StringIO())
    assert set(OrgUnit.objects.values_list("pk", flat=True)) == before
    assert not OrgUnit.objects.filter(name__contains="（演示）").exists()
