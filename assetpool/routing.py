"""Route the "发布单位资产管理员确认" step of a 公物仓申领 to the *publishing* unit.

The portal resolves every step from the requester's unit (portal/chains.py), which is right for
the department head but not for the consent of the unit that gives the item away. Until the
engine lets a step name its own unit (see the README: requested shared change), this receiver
re-assigns that one step when the engine creates it — on first submission and on every
resubmission after a return — to the nearest asset administrators of the listing's unit, in
the same transaction. A step handed on by its assignee (hand_on) is left alone: it is then the
ticket's current step, which a freshly created step never is yet.
"""

from django.db.models.signals import m2m_changed

from datahub.roles import Role

KIND = "pool_request"
PUBLISHER_STEP = "发布单位资产管理员确认"


def _reroute(sender, instance, action, reverse, **kwargs):
    from datahub.selectors import nearest_holders
    from portal.models import Ticket, TicketStep

    if action != "post_add" or reverse or not isinstance(instance, TicketStep):
        return
    step = instance
    if step.name != PUBLISHER_STEP or step.role != Role.ASSET_ADMIN:
        return
    ticket = Ticket.objects.only("pk", "kind", "current_step_id", "requester_id").get(pk=step.ticket_id)
    if ticket.kind != KIND or ticket.current_step_id == step.pk:
        return
    from .models import PoolRequest

    detail = PoolRequest.objects.select_related("listing__org_unit").filter(ticket_id=ticket.pk).first()
    if detail is None:
        return
    unit = detail.listing.org_unit
    holders, at = nearest_holders(Role.ASSET_ADMIN, unit, exclude=ticket.requester)
    note = ""
    if not holders:
        # Like the engine: nobody holds the role there, so the nearest bureau administrator decides.
        holders, at = nearest_holders(Role.BUREAU_ADMIN, unit, exclude=ticket.requester)
        note = f"“{unit.name}”及上级均无人担任资产管理员，已转由机关事务管理局管理员确认。"
    if not holders:
        return  # nobody at all: the engine's own resolution (and its fallback note) stands
    wanted = {u.pk for u in holders}
    if set(step.assignees.values_list("pk", flat=True)) == wanted:
        return
    TicketStep.objects.filter(pk=step.pk).update(assigned_unit=at, fallback_note=note)
    step.assignees.set(holders)  # re-enters this receiver once, which then finds nothing to change


def connect():
    from portal.models import TicketStep

    m2m_changed.connect(_reroute, sender=TicketStep.assignees.through, dispatch_uid="assetpool-reroute-publisher-step")
