from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class VehiclesConfig(AppConfig):
    name = "vehicles"
    verbose_name = _("公务用车")

    def ready(self):
        # Which rows move the monthly figures (datahub.figures; the command center listens).
        from datahub.figures import watch

        from .models import CostRecord, Dispatch, Disposal, Vehicle

        watch(Vehicle, units=lambda v: [v.org_unit_id], months=lambda v: [v.purchase_date])
        watch(Disposal, units=lambda d: [d.vehicle.org_unit_id], months=lambda d: [d.date])
        watch(Dispatch, units=lambda d: [d.vehicle.org_unit_id], months=lambda d: [d.starts_at])
        watch(CostRecord, units=lambda c: [c.vehicle.org_unit_id], months=lambda c: [c.date])

        # Imported here: the registry, models and services can only load once the apps are ready.
        from datahub.navigation import SECTIONS, Section, WorkItem, count_once, register_work_item
        from datahub.roles import Role, add_group_permissions
        from portal.registry import RequestKind, Step, register

        from . import datasets, home, rules, selectors, services

        datasets.register()  # publishes this app's datasets to the data-sharing catalog
        # The driver's unit follows the directory when the person moves (not only when the driver is saved).
        from datahub.signals import person_moved

        def driver_follows(sender, *, person, **kwargs):
            services.driver_follows_directory(person=person)

        person_moved.connect(driver_follows, weak=False, dispatch_uid="vehicles.driver_follows_directory")
        # A vehicle is an asset card: its disposal is the card's 资产处置 request (8-year rule, approval),
        # and the vehicle leaves the ledger in the card's disposal transaction.
        from assets.services import disposal_hook_add

        disposal_hook_add(check=services.vehicle_card_disposal_check, disposed=services.vehicle_card_disposed)
        from .forms import TripRequestForm, TripReturnForm
        from .models import TripRequest

        models = (
            "vehicle",
            "vehiclephoto",
            "driver",
            "costrecord",
            "dispatch",
            "disposal",
            "vehiclequota",
            "quotachange",
            "purchasecap",
            "purchasecapversion",
            "triprequest",
        )
        readable = tuple(f"vehicles.view_{m}" for m in models)
        editable = tuple(
            f"vehicles.{a}_{m}" for m in ("vehicle", "vehiclephoto", "driver", "costrecord") for a in ("add", "change")
        )
        add_group_permissions(Role.VEHICLE_DISPATCHER, *readable, *editable)
        add_group_permissions(
            Role.BUREAU_ADMIN,
            *readable,
            *editable,
            "vehicles.add_vehiclequota",
            "vehicles.change_vehiclequota",
            "vehicles.add_quotachange",
            "vehicles.change_quotachange",
            "vehicles.add_purchasecap",
            "vehicles.change_purchasecap",
            "vehicles.add_purchasecapversion",
        )
        add_group_permissions(Role.LEADER, *readable)
        section = Section(
            _("公务用车"),
            "vehicles:home",
            selectors.FLEET_READERS,
            _("车辆台账、编制与购置标准、派车调度、费用与统计"),
            # Approved trip requests still waiting for a vehicle, in the user's scope.
            count=count_once("vehicles.waiting_trips", home.waiting_trips),
        )
        before = next((i for i, s in enumerate(SECTIONS) if s.url_name == "admin:index"), len(SECTIONS))
        # Department heads review emergency trips afterwards: their own entry, on the home page only.
        reviews = Section(
            _("紧急用车审核"),
            "vehicles:reviews",
            (Role.APPROVER,),
            _("紧急用车不经审批直接派车，由处室负责人事后审核"),
            count=lambda user: selectors.pending_reviews(user).count(),
            in_topbar=False,
        )
        if not any(s.url_name == "vehicles:home" for s in SECTIONS):
            SECTIONS.insert(before, section)
            SECTIONS.insert(before + 1, reviews)
        not_emergency = lambda d: not d.emergency  # noqa: E731 — emergency requests skip approval
        from portal.registry import register_holdings, register_viewers

        from . import selectors as holdings_source

        register_holdings("车辆", holdings_source.holdings_of)
        # The department head asked to review an emergency trip opens its ticket from the review list: the
        # tickets of selectors.pending_reviews, scoped with the grants the portal has already read for the
        # request (its GRANTED_ROLES), so a ticket list asks nothing more.
        from datahub import scoping
        from portal.selectors import GRANTED_ROLES

        def reviewable(user):
            by_role = scoping.granted_paths_by_role(user, GRANTED_ROLES)
            paths = [p for role in (Role.APPROVER, Role.BUREAU_ADMIN) for p in by_role.get(role, [])]
            trips = TripRequest.objects.filter(
                scoping.subtree_q(paths, "ticket__org_unit"), emergency=True, reviewed_at=None
            )
            return trips.exclude(ticket__requester=user).values("ticket_id")

        register_viewers(_("紧急用车事后审核"), reviewable)
        register(
            RequestKind(
                code=rules.TRIP_KIND,
                label=_("用车申请"),
                domain=_("公务用车"),
                description=_("公务出行用车；市外出行增加一级审批；紧急用车直接派车、事后审核"),
                detail_model=TripRequest,
                form_class=TripRequestForm,
                chain=(
                    Step(gettext_noop("处室负责人审批"), Role.APPROVER, when=not_emergency),
                    Step(gettext_noop("车辆管理部门审核"), Role.VEHICLE_DISPATCHER, when=not_emergency),
                    Step(
                        gettext_noop("机关事务管理局审批（市外出行）"),
                        Role.BUREAU_ADMIN,
                        when=lambda d: d.out_of_city and not d.emergency,
                    ),
                ),
                handler_role=Role.VEHICLE_DISPATCHER,
                sla_hours=rules.TRIP_SLA_HOURS,
                outcome_form=TripReturnForm,
                record_outcome=services.trip_record_outcome,
                on_approved=services.trip_after_approval,
            )
        )
        # The home page: trips waiting for a car (the dispatcher's queue) and insurance running out (ledger health).
        register_work_item(
            WorkItem(
                "queue",
                _("待派车的用车申请"),
                "vehicles:board",
                selectors.FLEET_EDITORS,
                count_once("vehicles.waiting_trips", home.waiting_trips),
            )
        )
        register_work_item(
            WorkItem(
                "health",
                _("保险 30 日内到期或已过期的车辆"),
                "vehicles:vehicle-list",
                selectors.FLEET_EDITORS,
                home.insurance_expiring,
                query="insurance_expiring=1",
            )
        )
