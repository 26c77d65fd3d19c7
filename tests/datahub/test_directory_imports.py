"""The directory import (units and people from Excel) for the directory's editors: the directory's own
services and validators decide every row, another unit's rows are refused per row, all or nothing.

Eager mode on purpose (tests/importing.py): the job runs in the test process when the upload commits.
"""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from datahub.directory_imports import PERSON_COLUMNS, UNIT_COLUMNS
from datahub.models import OrgUnit, User
from tests import importing
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def sheet(header, rows) -> SimpleUploadedFile:
    book = Workbook()
    for row in (header, *rows):
        book.active.append(list(row))
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile("名录.xlsx", out.getvalue())


def test_units_are_created_under_a_parent_of_the_same_file_and_updated_by_code(client, people, tree):
    client.force_login(people.admin_a)
    rows = [
        ("A-DIR1", "综合处", "A", "内设机构", "", "", "", 5),
        ("A-DIR2", "综合处一科", "A-DIR1", "内设机构", "", "", "", 2),  # its parent is the row above
        ("A1", "甲厅办公室（改名）", "A", "内设机构", "", "", "", 7),  # an existing unit, updated
    ]
    done = importing.upload(client, reverse("unit-import"), {"file": sheet(UNIT_COLUMNS, rows)})
    assert done.job.status == "done", done.text
    assert done.job.result["created"] == 2 and done.job.result["updated"] == 1
    child = OrgUnit.objects.get(code="A-DIR2")
    assert OrgUnit.objects.get_parent(child).code == "A-DIR1"
    assert OrgUnit.objects.get(code="A1").staffing_quota == 7


def test_people_are_registered_with_their_codes_and_bad_rows_are_named(client, people, tree):
    client.force_login(people.admin_a)
    good = [("dir_zhang", "张三", "A1", "122", "", "13800000000", "科员")]
    done = importing.upload(client, reverse("person-import"), {"file": sheet(PERSON_COLUMNS, good)})
    assert done.job.status == "done", done.text
    person = User.objects.get(username="dir_zhang")
    assert (person.org_unit, person.post_level, person.has_usable_password()) == (tree.a1, "122", False)

    bad = [
        ("dir_li", "李四", "A1", "999", "", "", ""),  # row 2: not a GB/T 12407 code
        ("dir_wang", "王五", "A1", "", "", "12", ""),  # row 3: not a phone number
        ("dir_zhao", "赵六", "B1", "", "", "", ""),  # row 4: another unit
        ("dir_qian", "钱七", "NOPE", "", "", "", ""),  # row 5: no such unit
    ]
    refused = importing.upload(client, reverse("person-import"), {"file": sheet(PERSON_COLUMNS, bad)})
    assert refused.job.status == "failed"
    found = {(e["row"], e["column"]) for e in refused.job.row_errors}
    assert {(2, "职务级别"), (3, "联系电话"), (4, "所在单位编码"), (5, "所在单位编码")} <= found
    assert not User.objects.filter(username__in=["dir_li", "dir_wang", "dir_zhao", "dir_qian"]).exists()


def test_a_person_of_another_unit_is_not_changed_through_the_file(client, people, tree):
    other = UserFactory(username="dir_other", name="乙厅的人", org_unit=tree.b1)
    client.force_login(people.admin_a)
    rows = [("dir_other", "改名", "A1", "", "", "", "")]
    done = importing.upload(client, reverse("person-import"), {"file": sheet(PERSON_COLUMNS, rows)})
    assert done.job.status == "failed" and done.job.row_errors[0]["row"] == 2
    other.refresh_from_db()
    assert (other.name, other.org_unit) == ("乙厅的人", tree.b1)


def test_only_directory_editors_import(client, people, staff):
    for user in (people.clerk_a1, staff.space_a, people.leader):
        client.force_login(user)
        assert client.get(reverse("unit-import")).status_code == 403
        assert client.get(reverse("person-import")).status_code == 403
    client.force_login(people.admin_a)
    template = client.get(reverse("person-import"), {"template": "xlsx"})
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
