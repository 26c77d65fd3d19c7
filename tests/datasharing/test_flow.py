"""The access request on the portal engine: the compliance check, the provider's decision for conditional
entries, the grant that results, and entries that cannot be requested."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from datahub.catalog import rules
from datahub.models import Dataset, Grant
from datasharing.kinds import KIND
from datasharing.models import DataAccessRequest
from portal import selectors as portal_selectors
from portal import services as portal
from portal.models import Ticket
from portal.workflow import Status
from tests.catalog_factories import build_hub
from tests.sharing import shared_fixture

shared_hub, hub = shared_fixture("hub", build_hub)


def _fields(dataset, **overrides):
    today = timezone.localdate()
    return {
        "dataset": dataset,
        "items": ["code", "name"],
        "purpose": "核对机构名称",
        "scenario": "办公用房统计",
        "valid_from": today,
        "valid_to": today + timedelta(days=90),
        **overrides,
    }


def _approve(ticket, user, comment="同意"):
    ticket.refresh_from_db()
    return portal.decide(
        actor=user, ticket=ticket, step_id=ticket.current_step_id, decision="approved", comment=comment
    )


def test_unconditional_entry_is_checked_by_the_hub_then_granted(hub):
    ticket = portal.file_request(requester=hub.clerk_a1, kind_code=KIND, detail_fields=_fields(hub.units))
    assert ticket.status == Status.IN_REVIEW
    assert list(ticket.current_step.assignees.all()) == [hub.hub]
    assert portal_selectors.approval_inbox(hub.hub).filter(pk=ticket.pk).exists()
    ticket = _approve(ticket, hub.hub)
    assert ticket.status == Status.APPROVED
    grant = DataAccessRequest.objects.get(ticket=ticket).grant
    assert (grant.user, grant.consumer_unit_id, grant.items, grant.approved_by) == (
        hub.clerk_a1,
        hub.clerk_a1.org_unit_id,
        ["code", "name"],
        hub.hub,
    )
    assert grant.ticket_id == ticket.pk and grant.is_live()


def test_conditional_entry_needs_the_providers_steward_after_the_check(hub, tree):
    rooms = Dataset.objects.get(declaration_key="officespace.rooms")
    assert rooms.share_type == rules.ShareType.CONDITIONAL
    fields = _fields(rooms, items=["number", "use_area"], application=hub.app_a)
    ticket = portal.file_request(requester=hub.admin_a, kind_code=KIND, detail_fields=fields)
    assert [s.name for s in ticket.steps.order_by("index")] == ["数据主管部门合规审查", "提供方数据管理员审核"]
    ticket = _approve(ticket, hub.hub)
    assert ticket.status == Status.IN_REVIEW and not Grant.objects.exists()
    ticket = _approve(ticket, hub.hub, comment="提供方同意")
    grant = DataAccessRequest.objects.get(ticket=ticket).grant
    assert grant.application == hub.app_a and grant.user is None and grant.items == ["number", "use_area"]


def test_provider_refusal_needs_a_reason_and_grants_nothing(hub):
    rooms = Dataset.objects.get(declaration_key="officespace.rooms")
    ticket = portal.file_request(requester=hub.clerk_a1, kind_code=KIND, detail_fields=_fields(rooms, items=["number"]))
    ticket = _approve(ticket, hub.hub)
    with pytest.raises(ValidationError):
        portal.decide(actor=hub.hub, ticket=ticket, step_id=ticket.current_step_id, decision="rejected")
    ticket = portal.decide(
        actor=hub.hub, ticket=ticket, step_id=ticket.current_step_id, decision="rejected", comment="用途与共享条件不符"
    )
    assert ticket.status == Status.REJECTED
    assert not Grant.objects.exists()


def test_not_shared_entry_cannot_be_requested_and_nothing_is_written(hub, tree):
    secret = Dataset.objects.create(
        code="3-09-001.0001",
        name="不予共享资源",
        provider=tree.r,
        summary="x",
        share_type="not_shared",
        legal_basis="《中华人民共和国保守国家秘密法》",
        update_cycle="daily",
        status="published",
    )
    secret.items.create(name="code", label="编码", data_type="字符型")
    tickets = Ticket.objects.count()
    with pytest.raises(ValidationError) as exc:
        portal.file_request(requester=hub.clerk_a1, kind_code=KIND, detail_fields=_fields(secret, items=["code"]))
    assert "不予共享" in str(exc.value.message_dict["dataset"])
    assert Ticket.objects.count() == tickets


@pytest.mark.parametrize(
    ("overrides", "field", "says"),
    [
        ({"items": ["code", "nonsense"]}, "items", "不属于该资源"),
        ({"valid_to": timezone.localdate() - timedelta(days=1)}, "valid_to", "不能早于"),
        ({"row_scope": "unit"}, "row_unit", "必须选择机构"),
    ],
)
def test_bad_request_is_refused_naming_the_field_and_writes_nothing(hub, overrides, field, says):
    tickets = Ticket.objects.count()
    with pytest.raises(ValidationError) as exc:
        portal.file_request(requester=hub.clerk_a1, kind_code=KIND, detail_fields=_fields(hub.units, **overrides))
    assert says in str(exc.value.message_dict[field])
    assert Ticket.objects.count() == tickets


def test_request_filed_on_the_portal_page_reaches_the_hubs_inbox(client, hub):
    client.force_login(hub.clerk_a1)
    url = reverse("portal:new", args=[KIND])
    assert f'value="{hub.units.pk}"' in client.get(url).content.decode()
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "dataset": hub.units.pk,
            "items": "code，name",
            "purpose": "核对",
            "scenario": "统计",
            "row_scope": "own",
            "valid_from": today.isoformat(),
            "valid_to": (today + timedelta(days=10)).isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    detail = DataAccessRequest.objects.get()
    assert detail.items == ["code", "name"]
    assert portal_selectors.approval_inbox(hub.hub).filter(pk=detail.ticket_id).exists()


def test_page_refuses_an_unknown_item_naming_it(client, hub):
    client.force_login(hub.clerk_a1)
    today = timezone.localdate()
    response = client.post(
        reverse("portal:new", args=[KIND]),
        {
            "dataset": hub.units.pk,
            "items": "code,bogus",
            "purpose": "p",
            "scenario": "s",
            "row_scope": "own",
            "valid_from": today.isoformat(),
            "valid_to": today.isoformat(),
        },
    )
    assert response.status_code == 200 and "bogus" in response.content.decode()
    assert not DataAccessRequest.objects.exists()


def test_asking_again_for_what_a_live_grant_already_gives_is_refused_and_writes_nothing(hub):
    """可以从平台获取的数据不再重复申请: the same consumer, items, rows and period as a grant in force."""
    ticket = portal.file_request(requester=hub.clerk_a1, kind_code=KIND, detail_fields=_fields(hub.units))
    _approve(ticket, hub.hub)
    tickets = Ticket.objects.count()
    with pytest.raises(ValidationError) as exc:
        portal.file_request(requester=hub.clerk_a1, kind_code=KIND, detail_fields=_fields(hub.units, items=["name"]))
    says = exc.value.message_dict["dataset"][0]
    assert "已持有该资源的有效授权" in says and "无需重复申请" in says
    assert Ticket.objects.count() == tickets


@pytest.mark.parametrize(
    "overrides",
    [
        {"items": ["code", "name", "level"]},  # more items
        {"row_scope": "all"},  # wider rows
        {"valid_to": timezone.localdate() + timedelta(days=400)},  # a longer period: a renewal
    ],
)
def test_asking_for_more_than_a_live_grant_gives_is_a_new_request(hub, overrides):
    ticket = portal.file_request(requester=hub.clerk_a1, kind_code=KIND, detail_fields=_fields(hub.units))
    _approve(ticket, hub.hub)
    again = portal.file_request(requester=hub.clerk_a1, kind_code=KIND, detail_fields=_fields(hub.units, **overrides))
    assert again.status == Status.IN_REVIEW


def test_another_persons_grant_does_not_make_ones_own_request_a_duplicate(hub):
    ticket = portal.file_request(requester=hub.clerk_a1, kind_code=KIND, detail_fields=_fields(hub.units))
    _approve(ticket, hub.hub)
    other = portal.file_request(requester=hub.admin_a, kind_code=KIND, detail_fields=_fields(hub.units))
    assert other.status == Status.IN_REVIEW
