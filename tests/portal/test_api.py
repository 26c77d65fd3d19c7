"""The portal API: file with field errors, decide, handle, rate, and fixed query counts."""

import pytest

from portal.models import Ticket
from portal.workflow import Status
from tests.factories import UserFactory

API = "/api/v1/portal/tickets/"
REPAIR = {
    "location": "2号楼 301室",
    "category": "network",
    "description": "网口无信号",
    "estimated_cost": "0",
    "contact_phone": "13800000002",
}


def test_kinds_lists_both_registered_kinds_with_their_chains(api, staff):
    kinds = {k["code"]: k for k in api(staff.clerk_a1).get("/api/v1/portal/kinds/").json()}
    assert {"repair", "asset_requisition"} <= set(kinds)
    assert kinds["repair"]["chain"][0] == "处室负责人审批"
    assert kinds["asset_requisition"]["domain"] == "资产管理"


def test_filing_with_bad_fields_returns_400_per_field_and_files_nothing(api, staff):
    response = api(staff.clerk_a1).post(
        API, {"kind": "repair", "data": {**REPAIR, "contact_phone": "abc", "category": "magic"}}, format="json"
    )
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert "电话号码格式不正确" in fields["contact_phone"][0]
    assert "category" in fields
    assert not Ticket.objects.exists()


def test_filing_an_unknown_kind_is_a_400_on_kind(api, staff):
    response = api(staff.clerk_a1).post(API, {"kind": "spaceship", "data": {}}, format="json")
    assert response.status_code == 400
    assert "kind" in response.json()["fields"]


def test_the_whole_flow_through_the_api(api, staff):
    created = api(staff.clerk_a1).post(API, {"kind": "repair", "data": REPAIR}, format="json")
    assert created.status_code == 201, created.json()
    ticket = created.json()
    assert ticket["status"] == "in_review"
    decided = api(staff.head_a1).post(
        f"{API}{ticket['id']}/decide/", {"step_id": ticket["current_step_id"], "decision": "approved"}, format="json"
    )
    assert decided.json()["status"] == "approved"
    assert api(staff.space_a).post(f"{API}{ticket['id']}/start/").json()["status"] == "in_progress"
    bad = api(staff.space_a).post(f"{API}{ticket['id']}/complete/", {"outcome": {"cost": "-5"}}, format="json")
    assert bad.status_code == 400
    assert {"cost", "result"} <= set(bad.json()["fields"])
    assert Ticket.objects.get(pk=ticket["id"]).status == Status.IN_PROGRESS
    done = api(staff.space_a).post(
        f"{API}{ticket['id']}/complete/", {"outcome": {"cost": "120.50", "result": "更换水晶头"}}, format="json"
    )
    assert done.json()["status"] == "done"
    rated = api(staff.clerk_a1).post(f"{API}{ticket['id']}/rate/", {"rating": 5}, format="json")
    assert rated.json()["rating"] == 5


def test_an_illegal_move_through_the_api_is_a_400_with_the_reason(api, staff):
    ticket = api(staff.clerk_a1).post(API, {"kind": "repair", "data": REPAIR}, format="json").json()
    response = api(staff.clerk_a1).post(f"{API}{ticket['id']}/rate/", {"rating": 5}, format="json")
    assert response.status_code == 400
    assert "不能执行“评价”" in response.json()["fields"]["non_field_errors"][0]


def test_deciding_twice_returns_already_decided(api, staff, tree):
    from datahub.roles import Role
    from tests.factories import grant

    other = grant(UserFactory(username="head2_a1", org_unit=tree.a1), Role.APPROVER, tree.a1)
    ticket = api(staff.clerk_a1).post(API, {"kind": "repair", "data": REPAIR}, format="json").json()
    body = {"step_id": ticket["current_step_id"], "decision": "approved"}
    assert api(staff.head_a1).post(f"{API}{ticket['id']}/decide/", body, format="json").status_code == 200
    second = api(other).post(f"{API}{ticket['id']}/decide/", body, format="json")
    assert second.status_code == 400
    assert "无需重复审批" in second.json()["fields"]["non_field_errors"][0]


# Baselines, whatever the page holds, and however many kinds and handler roles are registered:
# all visible = the user's grants for every role at once (1), count, page; the inbox = count, page (the
# list's rows are read as values(): the countersign parts, which the list does not show, are not read).
@pytest.mark.parametrize(("box", "queries"), [("", 3), ("inbox", 2)])
def test_ticket_list_uses_a_fixed_number_of_queries(api, staff, tree, box, queries, django_assert_num_queries):
    from portal import services

    for i in range(25):
        requester = UserFactory(org_unit=tree.a1)
        services.file_request(requester=requester, kind_code="repair", detail_fields={**REPAIR, "location": f"{i}室"})
    from datahub.models import User

    client = api(User.objects.get(pk=staff.head_a1.pk))
    with django_assert_num_queries(queries):
        response = client.get(API, {"box": box, "page_size": 100})
    assert len(response.json()["results"]) == 25


def test_hand_on_to_an_unknown_person_is_a_field_error(api, staff):
    ticket = api(staff.clerk_a1).post(API, {"kind": "repair", "data": REPAIR}, format="json").json()
    response = api(staff.head_a1).post(
        f"{API}{ticket['id']}/hand-on/", {"step_id": ticket["current_step_id"], "to_user": 999999}, format="json"
    )
    assert response.status_code == 400
    assert "转交对象不存在" in response.json()["fields"]["to_user"][0]


def test_deciding_a_step_that_does_not_exist_is_a_400(api, staff):
    ticket = api(staff.clerk_a1).post(API, {"kind": "repair", "data": REPAIR}, format="json").json()
    response = api(staff.head_a1).post(
        f"{API}{ticket['id']}/decide/", {"step_id": 0, "decision": "approved"}, format="json"
    )
    assert response.status_code == 400
    assert "审批步骤不存在" in response.json()["fields"]["step_id"][0]


def test_an_exe_renamed_pdf_is_refused_through_the_api(api, staff, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.badfiles import EXE

    settings.MEDIA_ROOT = tmp_path
    ticket = api(staff.clerk_a1).post(API, {"kind": "repair", "data": REPAIR}, format="json").json()
    upload = SimpleUploadedFile("报价单.pdf", EXE, content_type="application/pdf")
    response = api(staff.clerk_a1).post(f"{API}{ticket['id']}/comment/", {"attachment": upload}, format="multipart")
    assert response.status_code == 400
    assert "内容不是PDF文档（实际内容识别为 .exe 文件）" in response.json()["fields"]["attachment"][0]
    assert not Ticket.objects.get(pk=ticket["id"]).timeline.filter(action="comment").exists()


@pytest.mark.parametrize("box", ["mine", "inbox", ""])
def test_each_listed_ticket_is_what_the_serializer_gives_for_it(api, staff, box):
    """The lists read their page as values() (datahub.api.rows); each row is still TicketSerializer's answer
    for the ticket: title in the reader's language, kind and status labels, the step, times in 北京时间."""
    import json

    from rest_framework.utils.encoders import JSONEncoder

    from portal import selectors
    from portal.api.serializers import TicketSerializer

    client = api(staff.clerk_a1)
    client.post(API, {"kind": "repair", "data": REPAIR}, format="json")
    client.post(API, {"kind": "repair", "data": REPAIR, "submit": False}, format="json")
    reader = staff.clerk_a1 if box == "mine" else staff.head_a1
    rows = api(reader).get(API, {"box": box}).json()["results"]
    assert rows
    for row in rows:
        ticket = selectors.visible_tickets(reader).get(pk=row["id"])
        assert row == json.loads(json.dumps(TicketSerializer(ticket).data, cls=JSONEncoder))
