"""纠错: a consumer reports a wrong value in a shared entry; it reaches the provider's inbox, the provider answers,
the reporter's steward confirms; the catalog page lists the open ones; bad reports are refused and write nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from datasharing.models import DataCorrection
from datasharing.rules import CORRECTION_KIND
from portal import selectors as portal_selectors
from portal import services as portal
from portal.models import Ticket, TimelineEntry
from portal.workflow import Status
from tests.catalog_factories import build_hub
from tests.sharing import shared_fixture

shared_hub, hub = shared_fixture("hub", build_hub)


def _report(hub, **overrides):
    fields = {
        "dataset": hub.units,
        "item": "name",
        "record": "A01",
        "wrong_value": "甲厅",
        "correct_value": "甲省厅",
        "description": "机构已更名，目录中仍为旧名称",
        **overrides,
    }
    return portal.file_request(requester=hub.clerk_a1, kind_code=CORRECTION_KIND, detail_fields=fields)


def test_a_report_reaches_the_providers_inbox_and_shows_on_the_catalog_page(client, hub):
    ticket = _report(hub)
    assert ticket.status == Status.IN_REVIEW
    assert list(ticket.current_step.assignees.all()) == [hub.hub]  # the provider (the root) holds the entry
    assert portal_selectors.approval_inbox(hub.hub).filter(pk=ticket.pk).exists()
    assert not portal_selectors.approval_inbox(hub.steward_b).filter(pk=ticket.pk).exists()
    client.force_login(hub.clerk_b1)  # anyone who sees the entry sees that a correction is open
    html = client.get(reverse("catalog-detail", args=[hub.units.pk])).content.decode()
    assert f"#{ticket.pk}" in html and "审批中" in html


def test_provider_answers_and_the_reporters_steward_confirms_then_it_leaves_the_page(client, hub):
    ticket = _report(hub)
    ticket = portal.decide(
        actor=hub.hub, ticket=ticket, step_id=ticket.current_step_id, decision="approved", comment="属实，已更正名称"
    )
    assert ticket.status == Status.APPROVED
    ticket = portal.start_handling(actor=hub.steward_a, ticket=ticket)  # the reporter's side checks the data
    ticket = portal.complete(actor=hub.steward_a, ticket=ticket, outcome={"result": "corrected", "note": "已核对"})
    assert ticket.status == Status.DONE
    detail = DataCorrection.objects.get(ticket=ticket)
    assert (detail.result, detail.result_note) == ("corrected", "已核对")
    said = list(TimelineEntry.objects.filter(ticket=ticket).values_list("comment", flat=True))
    assert "属实，已更正名称" in said and any("已更正" in c for c in said)
    client.force_login(hub.clerk_a1)
    html = client.get(reverse("catalog-detail", args=[hub.units.pk])).content.decode()
    assert f"#{ticket.pk}" not in html and "该资源没有未办结的纠错" in html


def test_provider_refusing_a_report_must_say_why(hub):
    ticket = _report(hub)
    with pytest.raises(ValidationError):
        portal.decide(actor=hub.hub, ticket=ticket, step_id=ticket.current_step_id, decision="rejected")
    ticket = portal.decide(
        actor=hub.hub, ticket=ticket, step_id=ticket.current_step_id, decision="rejected", comment="经核实数据无误"
    )
    assert ticket.status == Status.REJECTED


def test_another_units_steward_cannot_decide_it(hub):
    ticket = _report(hub)
    with pytest.raises(Exception) as exc:
        portal.decide(actor=hub.steward_b, ticket=ticket, step_id=ticket.current_step_id, decision="approved")
    assert exc.type.__name__ in ("PermissionDenied", "ValidationError")
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_REVIEW


@pytest.mark.parametrize(
    ("overrides", "field", "says"),
    [
        ({"item": "nonsense"}, "item", "不属于该资源"),
        ({"record": " "}, "record", "请填写数据记录"),
        ({"description": ""}, "description", "请填写问题说明"),
        ({"wrong_value": ""}, "wrong_value", "请填写现有值"),
    ],
)
def test_bad_report_is_refused_naming_the_field_and_writes_nothing(hub, overrides, field, says):
    tickets = Ticket.objects.count()
    with pytest.raises(ValidationError) as exc:
        _report(hub, **overrides)
    assert says in str(exc.value.message_dict[field])
    assert Ticket.objects.count() == tickets and not DataCorrection.objects.exists()


def test_the_report_page_refuses_an_unknown_item_and_writes_nothing(client, hub):
    client.force_login(hub.clerk_a1)
    response = client.post(
        reverse("portal:new", args=[CORRECTION_KIND]),
        {
            "dataset": hub.units.pk,
            "item": "bogus",
            "record": "A01",
            "wrong_value": "x",
            "description": "y",
        },
    )
    assert response.status_code == 200 and "不属于该资源" in response.content.decode()
    assert not DataCorrection.objects.exists()


def test_the_reporter_and_the_provider_both_see_the_ticket_and_a_stranger_does_not(client, hub):
    ticket = _report(hub)
    url = reverse("portal:ticket", args=[ticket.pk])
    for person, status in ((hub.clerk_a1, 200), (hub.hub, 200), (hub.clerk_b1, 404)):
        client.force_login(person)
        assert client.get(url).status_code == status, person.username
