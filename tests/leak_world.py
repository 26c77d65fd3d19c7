"""The two-unit world of the cross-unit leak crawler (tests/test_leak_crawler.py).

region R
├── agency A ── department A1   ← every demo role is held here (A, or A1 for the clerk and approver)
└── agency B ── department B1   ← the other unit: one row of every unit-owned model, marked

Every row made for agency X carries the marker ``LK<X>-<what>`` in a text field that the pages,
the API and the admin show (a name, a title, a serial, a comment). A response that a user of A
receives must never contain ``LKB-``; rows without a free-text field are checked by their detail
and change URLs alone (403/404). Rows are written through the services wherever a service exists,
so every side row (movements, timeline, history, notifications, alerts) comes along as in production.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from datahub import services as datahub_services
from datahub.auth.services import issue_api_token
from datahub.models import ExportJob, ImportJob
from datahub.roles import Role

from .factories import OrgUnitFactory, UserFactory, department, grant, region, superuser

MARK_OTHER = "LKB-"

# The demo roles, each held by one person on agency A (the clerk and the approver on its department A1).
ROLES = {
    "civil_servant": None,
    "approver": Role.APPROVER,
    "vehicle_dispatcher": Role.VEHICLE_DISPATCHER,
    "space_admin": Role.SPACE_ADMIN,
    "asset_admin": Role.ASSET_ADMIN,
    "energy_reporter": Role.ENERGY_REPORTER,
    "data_steward": Role.DATA_STEWARD,
    "bureau_admin": Role.BUREAU_ADMIN,
    "leader": Role.LEADER,
    "auditor": Role.AUDITOR,
}


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def build() -> SimpleNamespace:
    root = superuser()
    r = region(code="R", name="浙江省")
    a = OrgUnitFactory(code="A", name="甲厅", parent=r)
    b = OrgUnitFactory(code="B", name="乙厅", parent=r)
    a1 = department(a, code="A1", name="甲厅办公室")
    b1 = department(b, code="B1", name="乙厅办公室")
    for unit in (r, a, b):
        unit.refresh_from_db()

    roles = {}
    for key, role in ROLES.items():
        home = a1 if role in (None, Role.APPROVER) else a
        person = UserFactory(username=f"crawl_{key}", name=f"甲{key}", org_unit=home)
        roles[key] = grant(person, role, home) if role else person

    sides = {}
    for tag, agency, dept in (("A", a, a1), ("B", b, b1)):
        sides[tag] = _side(tag, root, r, agency, dept)
    _pool_requests(root, r, sides)
    # The command center's roll-up of both sides (its hook fires on commit, which a test transaction never does).
    from commandcenter import services as commandcenter_services

    commandcenter_services.rollup_rebuild()
    return SimpleNamespace(root=root, r=r, a=a, b=b, a1=a1, b1=b1, roles=roles, sides=sides)


def _pool_requests(root, r, sides) -> None:
    """Each side's clerk asks for a card that a third agency C put in the pool (a unit cannot ask
    for its own listing, and C's asset administrator, who decides, is nobody's crawl role)."""
    from assetpool import services as pool
    from assets import services
    from assets.models import Category

    c = OrgUnitFactory(code="C", name="丙厅", parent=r)
    keeper = grant(UserFactory(username="asset_C", name="丙资产员", org_unit=c), Role.ASSET_ADMIN, c)
    for tag, side in sides.items():
        offered = services.register_card(
            actor=keeper,
            org_unit=c,
            category=Category.objects.get(code="A02010105"),
            name=f"PUBC-{tag}",
            original_value=Decimal("3000"),
            acquired_on=date(2025, 1, 10),
            booked_on=date(2025, 1, 15),
        )
        services.set_status(asset=offered, status="idle", actor=keeper, reason="闲置")
        listing = pool.publish(actor=keeper, asset=offered, description=f"PUBC-{tag}")
        side.pool_request = pool.file_pool_request(
            requester=side.clerk, listing=listing, way="transfer", purpose=f"{side.mark}pool-purpose"
        )
    # Both are handed over: the card moves to the asking agency and a Reuse row of that agency is written.
    from portal import selectors as portal_selectors
    from portal import services as portal

    for side in sides.values():
        ticket = side.pool_request
        _approve_all(ticket)
        ticket.refresh_from_db()
        handler = next(u for u in (keeper, side.asset, side.bureau) if portal_selectors.may_handle(u, ticket))
        portal.start_handling(actor=handler, ticket=ticket)
        portal.complete(actor=handler, ticket=ticket, outcome={"note": f"{side.mark}handed-over"})


def _side(tag: str, root, r, agency, dept) -> SimpleNamespace:
    """One agency's rows of every domain, marked ``LK<tag>-``."""
    m = f"LK{tag}-"
    s = SimpleNamespace(mark=m)
    # Its own people: the requester, the approver and the domain staff the workflows need.
    s.clerk = UserFactory(username=f"clerk_{tag}", name=f"{m}clerk", org_unit=dept, job_title=f"{m}title")
    s.head = grant(UserFactory(username=f"head_{tag}", name=f"{m}head", org_unit=dept), Role.APPROVER, dept)
    s.dispatcher = grant(
        UserFactory(username=f"disp_{tag}", name=f"{m}dispatcher", org_unit=agency), Role.VEHICLE_DISPATCHER, agency
    )
    s.space = grant(UserFactory(username=f"space_{tag}", name=f"{m}space", org_unit=agency), Role.SPACE_ADMIN, agency)
    s.asset = grant(UserFactory(username=f"asset_{tag}", name=f"{m}asset", org_unit=agency), Role.ASSET_ADMIN, agency)
    s.energy = grant(
        UserFactory(username=f"energy_{tag}", name=f"{m}energy", org_unit=agency), Role.ENERGY_REPORTER, agency
    )
    s.bureau = grant(
        UserFactory(username=f"bureau_{tag}", name=f"{m}bureau", org_unit=agency), Role.BUREAU_ADMIN, agency
    )
    s.driver_person = UserFactory(username=f"driver_{tag}", name=f"{m}driver", org_unit=agency)
    s.export = ExportJob.objects.create(user=s.clerk, kind="people", filename=f"{m}export.xlsx")
    s.import_job = ImportJob.objects.create(
        user=s.clerk, kind="datahub.units", filename=f"{m}import.xlsx", status="failed", error=f"{m}refused",
        row_errors=[{"row": 2, "column": "机构编码", "message": f"{m}row"}], error_count=1,
    )  # fmt: skip
    s.token, _ = issue_api_token(user=s.clerk)
    s.system = _registered_system(s, agency)
    # The bureau administrator opened the clerk's unmasked data once: one audit row about B's person.
    datahub_services.record_personal_data_reads(
        actor=s.bureau, revealed={s.clerk: {"phone"}}, surface="page", meta={"ip": "10.0.0.2", "path": f"/{m}"}
    )
    _officespace(s, root, agency, dept)
    _portal(s)
    _vehicles(s, root, agency, dept)
    _telematics(s, root, agency)
    _assets(s, root, agency, dept)
    _energy(s, root, agency)
    _assessment(s, root, agency)
    _catalog(s, root, agency)
    return s


def _registered_system(s, agency):
    """A department system of the agency (应用接入), registered by its bureau administrator, with a live
    client-credentials token, so the registration pages, the admin and the token list have a row of B."""
    from datetime import timedelta

    from django.utils import timezone as tz
    from oauth2_provider.models import AccessToken

    from datahub.oidc import services as oidc

    system, _ = oidc.system_register(
        actor=s.bureau,
        org_unit=agency,
        name=f"{s.mark}system",
        kind="both",
        scopes=["openid", "profile", "directory"],
        redirect_uris="https://sys.example.gov.cn/cb",
        contact_name=f"{s.mark}contact",
        description=f"{s.mark}system",
    )
    AccessToken.objects.create(
        application=system.application, token=f"{s.mark}token", scope="directory", expires=tz.now() + timedelta(hours=1)
    )
    # The clerk agreed to sign in to it (账号安全 → 已授权的接入系统 lists it, and only to the clerk).
    oidc.consent_grant(actor=s.clerk, application=system.application, scopes=["openid", "profile"])
    return system


def _catalog(s, root, agency) -> None:
    """A data-sharing request of the agency's clerk, granted, and a 纠错 report; a registered system of the agency with its own
    grant; one exchange call of each in the access trail."""
    from datahub.catalog import services as catalog
    from datahub.models import Dataset
    from portal import services as portal
    from tests.catalog_factories import share

    m = s.mark
    catalog.catalog_sync()
    units = Dataset.objects.get(declaration_key="datahub.units")
    today = timezone.localdate()
    s.data_request = portal.file_request(
        requester=s.clerk,
        kind_code="data_access",
        detail_fields={
            "dataset": units,
            "items": ["code", "name"],
            "purpose": f"{m}data-purpose",
            "scenario": f"{m}scenario",
            "valid_from": today,
            "valid_to": today + timedelta(days=30),
        },
    )
    _approve_all(s.data_request)
    # 纠错: the clerk reports a wrong value in the entry (it waits in the provider's inbox).
    s.data_correction = portal.file_request(
        requester=s.clerk,
        kind_code="data_correction",
        detail_fields={
            "dataset": units,
            "item": "name",
            "record": f"{m}record",
            "wrong_value": f"{m}wrong",
            "correct_value": f"{m}right",
            "description": f"{m}correction",
        },
    )
    # The agency's registered system (see _registered_system) holds its own grant.
    application = s.system.application
    s.grant = share(units, actor=root, consumer_unit=agency, application=application, purpose=f"{m}grant")
    for caller in ({"caller_user": s.clerk}, {"caller_app": application}):
        catalog.trail_append(caller_unit=agency, dataset=units, filter=f"{m}filter", rows=2, status=200, **caller)


def _portal(s) -> None:
    from portal import services as portal

    m = s.mark
    repair = {
        "location": f"{m}location",
        "category": "air_conditioning",
        "description": f"{m}repair",
        "urgent": False,
        "estimated_cost": Decimal("300.00"),
        "contact_phone": "13800000001",
        "room": s.room,
    }
    s.draft = portal.file_request(
        requester=s.clerk, kind_code="repair", detail_fields={**repair, "description": f"{m}draft"}, submit=False
    )
    s.waiting = portal.file_request(requester=s.clerk, kind_code="repair", detail_fields=repair)
    portal.add_comment(actor=s.clerk, ticket=s.waiting, comment=f"{m}comment")
    done = portal.file_request(
        requester=s.clerk, kind_code="repair", detail_fields={**repair, "description": f"{m}repaired"}
    )
    _approve_all(done)
    done.refresh_from_db()
    portal.start_handling(actor=s.space, ticket=done)
    portal.complete(
        actor=s.space,
        ticket=done,
        outcome={"cost": Decimal("120"), "parts": f"{m}parts", "result": f"{m}result"},
    )
    s.repaired = done
    s.adjustment = portal.file_request(
        requester=s.clerk,
        kind_code="space_adjustment",
        detail_fields={"purpose": "more", "requested_area": Decimal("20"), "headcount": 1, "reason": f"{m}adjust"},
    )
    requisition = portal.file_request(
        requester=s.clerk,
        kind_code="asset_requisition",
        detail_fields={
            "item_name": f"{m}item",
            "category_id": "A0202",
            "quantity": 1,
            "purpose": f"{m}requisition",
            "needed_by": timezone.localdate() + timedelta(days=3),
        },
    )
    _approve_all(requisition)
    requisition.refresh_from_db()
    portal.start_handling(actor=s.asset, ticket=requisition)
    portal.complete(actor=s.asset, ticket=requisition, outcome={"quantity": 1, "asset_codes": ""})
    s.requisition = requisition
    _collaboration(s, repair)


def _collaboration(s, repair) -> None:
    """一网协同 rows of the side: a countersign under way, a 协办 part, a 督办, an 入职 bundle."""
    from portal import services as portal

    m = s.mark
    major = portal.file_request(
        requester=s.clerk, kind_code="repair", detail_fields={**repair, "description": f"{m}major", "is_major": True}
    )
    major.refresh_from_db()
    step = major.current_step
    portal.decide(actor=step.assignees.order_by("pk").first(), ticket=major, step_id=step.pk, decision="approved")
    major.refresh_from_db()
    part = major.current_step.parts.order_by("index").first()
    portal.decide(
        actor=part.assignees.first(),
        ticket=major,
        step_id=major.current_step_id,
        decision="approved",
        comment=f"{m}sign",
    )
    s.countersign = major
    handled = portal.file_request(
        requester=s.clerk, kind_code="repair", detail_fields={**repair, "description": f"{m}assisted"}
    )
    _approve_all(handled)
    handled.refresh_from_db()
    portal.start_handling(actor=s.space, ticket=handled)
    s.assist = portal.assist_ask(
        actor=s.space,
        ticket=handled,
        unit=s.space.org_unit,
        role=Role.ASSET_ADMIN,
        description=f"{m}assist",
        due_at=timezone.now() + timedelta(days=2),
    )
    s.supervision = portal.supervision_open(
        actor=s.bureau, ticket=s.waiting, note=f"{m}supervise", deadline=timezone.now() + timedelta(days=2)
    )
    s.bundle = portal.bundle_file(
        requester=s.clerk,
        bundle_code="onboarding",
        data={
            "person": s.clerk,
            "start_on": timezone.localdate() + timedelta(days=7),
            "roles": "",
            "note": f"{m}onboarding",
        },
    )
    _meeting(s)


def _meeting(s) -> None:
    """A 会议一件事 of the side: its 会议室 booked for tomorrow morning (a RoomBooking row of the unit)."""
    from officespace.models import RoomBooking
    from portal import services as portal

    start = _at(timezone.localdate() + timedelta(days=1), 9)
    s.meeting = portal.bundle_file(
        requester=s.clerk,
        bundle_code="meeting",
        data={
            "topic": f"{s.mark}meeting",
            "room": s.meeting_room,
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
            "attendees": 10,
            "guests": "",
            "pickup_from": "",
            "items": "",
            "item_category": "",
            "item_quantity": None,
        },
    )
    s.booking = RoomBooking.objects.get(ticket__bundle=s.meeting)


def _approve_all(ticket) -> None:
    from portal import services as portal

    ticket.refresh_from_db()
    while ticket.current_step_id:
        step = ticket.current_step
        portal.decide(actor=step.assignees.order_by("pk").first(), ticket=ticket, step_id=step.pk, decision="approved")
        ticket.refresh_from_db()


def _officespace(s, root, agency, dept) -> None:
    from officespace import check, services

    m = s.mark
    s.building = services.create_building(
        actor=s.space,
        code=f"{m}BLD",
        name=f"{m}building",
        address=f"{m}address",
        org_unit=agency,
        building_area=Decimal("2000"),
        use_area=Decimal("1500"),
    )
    s.floor = services.create_floor(actor=s.space, building=s.building, number=3, use_area=Decimal("400"))
    s.room = services.create_room(actor=s.space, floor=s.floor, number=f"{m}301", use_area=Decimal("60"), org_unit=dept)
    s.occupancy = services.assign_occupancy(actor=s.space, room=s.room, person=s.clerk, start_date=date(2026, 1, 5))
    s.meeting_room = services.create_room(
        actor=s.space, floor=s.floor, number=f"{m}M1", use_area=Decimal("80"), category="service", subtype="meeting"
    )
    check.run_check()
    services.unit_class_set(actor=root, unit=agency, admin_class="provincial")


def _vehicles(s, root, agency, dept) -> None:
    from tests.vehicles.factories import dispose_through_request, valid_vin
    from vehicles import services

    m = s.mark
    n = 1 if m == "LKA-" else 2
    for category in ("other", "emergency"):
        services.quota_set(actor=root, unit=agency, category=category, quota=5, document=f"{m}quota")
    s.quota_change = services.quota_change_approve(
        actor=root, unit=agency, category="other", delta=1, reason=f"{m}quota-reason", document=f"{m}doc"
    )
    s.vehicle = services.register_vehicle(
        actor=s.dispatcher,
        fields={
            "org_unit": agency,
            "plate": f"浙{'AB'[n - 1]}{n:05d}",
            "vin": valid_vin(9000 + n),
            "category": "other",
            "brand": f"{m}brand",
            "model_name": f"{m}model",
            "energy_type": "gasoline",
            "displacement": Decimal("1.5"),
            "seats": 5,
            "purchase_price": Decimal("110000"),
            "purchase_date": date(2025, 3, 1),  # inside the command center's kept months (its purchases figure)
            "odometer_km": 10000,
        },
    )
    old = services.register_vehicle(
        actor=s.dispatcher,
        fields={
            **{k: getattr(s.vehicle, k) for k in ("org_unit", "category", "energy_type", "displacement", "seats")},
            "plate": f"浙{'AB'[n - 1]}{n + 10:05d}",
            "vin": valid_vin(9100 + n),
            "brand": f"{m}old-brand",
            "model_name": f"{m}old-model",
            "purchase_price": Decimal("100000"),
            "purchase_date": date(2012, 3, 1),
            "odometer_km": 260000,
        },
    )
    s.disposal = dispose_through_request(
        vehicle=old, requester=s.clerk, handler=s.asset, on=timezone.localdate(), note=f"{m}scrapped"
    )
    s.driver = services.save_driver(
        actor=s.dispatcher,
        fields={
            "person": s.driver_person,
            "licence_class": "C1",
            "licence_expires": timezone.localdate() + timedelta(days=900),
        },
    )
    s.cost = services.add_record(
        actor=s.dispatcher,
        vehicle=s.vehicle,
        fields={
            "kind": "maintenance",
            "date": timezone.localdate() - timedelta(days=10),
            "amount": Decimal("860"),
            "supplier": f"{m}supplier",
            "items": f"{m}items",
        },
    )
    from django.core.files.base import ContentFile

    from vehicles.models import VehiclePhoto

    s.photo = VehiclePhoto.objects.create(
        vehicle=s.vehicle, file=ContentFile(b"\xff\xd8\xff\xe0", name=f"{m}photo.jpg"), caption=f"{m}photo"
    )
    from portal import services as portal
    from vehicles import rules as vehicle_rules

    trip = {"origin": f"{m}origin", "passengers": 2, "category": "other", "needs_driver": True}
    day = timezone.localdate() + timedelta(days=2)
    s.trip = portal.file_request(
        requester=s.clerk,
        kind_code=vehicle_rules.TRIP_KIND,
        detail_fields={
            **trip,
            "starts_at": _at(day, 9),
            "ends_at": _at(day, 12),
            "destinations": f"{m}destination",
            "purpose": f"{m}purpose",
        },
    )
    _approve_all(s.trip)
    s.dispatch = services.dispatch_trip(actor=s.dispatcher, ticket=s.trip, vehicle=s.vehicle, driver=s.driver)
    later = timezone.localdate() + timedelta(days=4)
    s.trip_waiting = portal.file_request(
        requester=s.clerk,
        kind_code=vehicle_rules.TRIP_KIND,
        detail_fields={
            **trip,
            "starts_at": _at(later, 9),
            "ends_at": _at(later, 12),
            "destinations": f"{m}destination2",
            "purpose": f"{m}purpose2",
        },
    )
    _approve_all(s.trip_waiting)


def _telematics(s, root, agency) -> None:
    from telematics import services

    m = s.mark
    s.terminal, s.terminal_token = services.create_terminal(
        actor=s.dispatcher, vehicle=s.vehicle, serial=f"{m}T1", model_name=f"{m}terminal"
    )
    s.geofence = services.save_geofence(
        actor=s.dispatcher,
        org_unit=agency,
        name=f"{m}fence",
        polygon_text="120.0,30.0\n120.2,30.0\n120.2,30.2\n120.0,30.2",
    )
    # A Saturday-night drive far outside the fence: off-hours and geofence alerts of this agency's car.
    today = timezone.localdate()
    saturday = today - timedelta(days=(today.weekday() - 5) % 7 or 7)
    start = _at(saturday, 21)
    points = [
        {
            "time": (start + timedelta(minutes=k)).isoformat(),
            "lat": 30.5 + 0.001 * k,
            "lon": 121.0,
            "speed": 130.0,
            "ignition": True,
        }
        for k in range(6)
    ]
    services.ingest(terminal=s.terminal, points=points)
    from telematics.models import Alert, AlertRule

    s.alert = Alert.objects.filter(vehicle=s.vehicle).order_by("pk").first()
    if s.alert is not None:
        Alert.objects.filter(vehicle=s.vehicle).update(detail=f"{m}alert")
    s.rule = AlertRule.objects.create(kind="speeding", org_unit=agency, threshold=100)


def _assets(s, root, agency, dept) -> None:
    from assetpool import services as pool
    from assets import services
    from assets.models import Category
    from stocktake import services as stocktake

    m = s.mark
    cat = Category.objects.get(code="A02010105")

    def card(name, **fields):
        return services.register_card(
            actor=s.asset,
            org_unit=agency,
            category=cat,
            name=name,
            original_value=Decimal("6000"),
            acquired_on=date(2025, 1, 10),
            booked_on=date(2025, 1, 15),
            **fields,
        )

    s.card = card(f"{m}card", spec=f"{m}spec")
    services.issue(asset=s.card, to_person=s.clerk, actor=s.asset, room=s.room, note=f"{m}issued")
    s.idle = card(f"{m}idle")
    services.set_status(asset=s.idle, status="idle", actor=s.asset, reason=f"{m}idle-reason")
    # The pool is shared between units by design: the listed card is named PUBLIC so the crawl
    # does not count its listing as a leak; its own card page stays the other unit's.
    s.listed = card(f"PUB{m[2]}-listed")
    services.set_status(asset=s.listed, status="idle", actor=s.asset, reason="闲置")
    s.listing = pool.publish(actor=s.asset, asset=s.listed, description=f"PUB{m[2]}-listing")
    from portal import services as portal

    s.disposal_request = portal.file_request(
        requester=s.clerk,
        kind_code="asset_disposal",
        detail_fields={"asset": s.idle, "way": "scrap", "reason": f"{m}dispose-reason"},
    )
    s.purchase_request = portal.file_request(
        requester=s.clerk,
        kind_code="asset_purchase",
        detail_fields={
            "category": cat,
            "item_name": f"{m}purchase",
            "quantity": 1,
            "unit_price": Decimal("3000"),
            "reason": f"{m}purchase-reason",
        },
    )
    # A draft is enough for the admin crawl: the row exists, the countersign chain is not resolved yet.
    s.transfer_request = portal.file_request(
        requester=s.clerk,
        kind_code="asset_transfer",
        detail_fields={"asset": card(f"{m}transfer"), "to_unit": agency.get_parent(), "reason": f"{m}transfer-reason"},
        submit=False,
    )
    s.stocktake = stocktake.open_stocktake(actor=s.asset, title=f"{m}stocktake", org_unit=agency, note=f"{m}st")
    s.count = stocktake.record_count(
        actor=s.asset, stocktake=s.stocktake, code=s.card.asset_number, observed_room=s.room, observed_custodian=s.clerk
    )
    services.post_depreciation()


def _energy(s, root, agency) -> None:
    from energy import basedata, services
    from energy.models import Anomaly

    m = s.mark
    # The base data are derived; the users are a recorded correction (its reason carries the marker).
    s.correction = services.profile_correct(
        actor=s.energy,
        org_unit=agency,
        year=2025,
        field="energy_users",
        value="90",
        reason=f"{m}按人员名册更正",
        document=SimpleUploadedFile("名册.pdf", b"%PDF-1.4\ntrailer<</Root 1 0 R>>\n%%EOF\n"),
    )
    if basedata.derived(agency)["building_area"] is None:
        services.profile_correct(
            actor=s.energy,
            org_unit=agency,
            year=2025,
            field="building_area",
            value="1200",
            reason=f"{m}按产权证更正",
            document=SimpleUploadedFile("产权证.pdf", b"%PDF-1.4\ntrailer<</Root 1 0 R>>\n%%EOF\n"),
        )
    s.profile = services.save_profile(actor=s.energy, org_unit=agency, year=2025)
    for month in (1, 2, 3):
        s.record = services.save_record(
            actor=s.energy,
            org_unit=agency,
            year=2025,
            month=month,
            energy_type="electricity",
            quantity=Decimal("12345"),
            unit="kWh",
            cost=Decimal("9000"),
            collection="metered_paid",
        )
    s.submission = services.submit(actor=s.energy, org_unit=agency, period=services.period_of(year=2025, quarter=1))
    s.anomaly = Anomaly.objects.create(
        org_unit=agency, year=2025, month=2, energy_type="electricity", value=Decimal("12345"), reason=f"{m}anomaly"
    )


def _assessment(s, root, agency) -> None:
    from assessment import services
    from assessment.models import Analysis, AnalysisJob

    m = s.mark
    framework = services.ensure_default_framework()
    s.round = services.create_round(
        actor=s.bureau,
        name=f"{m}round",
        year=2026,
        framework=framework,
        org_unit=agency,
        case_level="department",
        note=f"{m}round-note",
    )
    case = type(agency).objects.get(code=f"{agency.code}1")
    codes = framework.indicators.filter(source="").values_list("code", flat=True)
    s.value = services.enter_values(
        actor=s.bureau, round_=s.round, unit=case, values=dict.fromkeys(codes, "50"), notes={"T1": f"{m}value"}
    )[0]
    services.score_round(actor=s.bureau, round_=s.round)
    s.analysis = Analysis.objects.create(round=s.round, name=f"{m}analysis", outcome="Y", created_by=s.bureau)
    s.analysis_job = AnalysisJob.objects.create(
        round=s.round, user=s.bureau, name=f"{m}analysis-job", params={}, analysis=s.analysis
    )
    # An external round: a study case (not an org unit) owned by the agency, with a value.
    s.study_case = services.add_study_case(actor=s.bureau, owner=agency, code=f"{m}case", name=f"{m}study-case")
    s.study_round = services.create_round(
        actor=s.bureau,
        name=f"{m}study-round",
        year=2026,
        framework=framework,
        org_unit=agency,
        case_level="region",
        external=True,
    )
    services.enter_values(
        actor=s.bureau,
        round_=s.study_round,
        unit=s.study_case,
        values=dict.fromkeys(codes, "60"),
        notes={"T1": f"{m}study-value"},
    )
