"""Every write of the monitoring app: terminals and their tokens, ingestion of position batches
with the alert rules evaluated on what was stored, the offline check, acknowledgement, and the
tables (calendar, fences, rules).

Ingestion is **all or nothing per batch**: every point is validated first; if any is bad the
batch is refused with the index and the reason of each bad point and nothing is written. A
terminal re-sends whole batches when it missed the answer, so points already stored (same
vehicle and time) are counted as duplicates, never as errors, and raise no alert again.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from datahub import keyed, scoping, tokens
from datahub.models import OrgUnit

from . import rules, selectors, staging
from .models import Alert, AlertRule, CalendarDay, Geofence, Position, Terminal
from .rules import AlertKind, DayKind, Fix

# --- Terminals and tokens ------------------------------------------------------------------------


# One digest for every bearer secret of the platform (people's API tokens too).
hash_token = tokens.digest
_new_token = tokens.new_token


def _require_editor(actor, unit, what: str) -> None:
    if not scoping.covers(actor, unit, roles=selectors.MONITOR_EDITORS):
        raise PermissionDenied(_("您没有管理该单位%(what)s的权限。") % {"what": what})


@transaction.atomic
def create_terminal(*, actor, vehicle, serial: str, model_name: str = "") -> tuple[Terminal, str]:
    """Register a vehicle's terminal. Returns the terminal and its token, which is shown this once."""
    _require_editor(actor, vehicle.org_unit, _("车载终端"))
    serial = (serial or "").strip()
    errors = {}
    if not serial:
        errors["serial"] = _("请填写终端编号。")
    elif Terminal.objects.filter(serial=serial).exists():
        errors["serial"] = _("终端编号“%(serial)s”已登记。") % {"serial": serial}
    if Terminal.objects.filter(vehicle=vehicle).exists():
        errors["vehicle"] = _("车辆%(plate)s已安装终端，请更换令牌或修改原终端。") % {"plate": vehicle.plate}
    if errors:
        raise ValidationError(errors)
    token = _new_token()
    terminal = Terminal.objects.create(
        vehicle=vehicle,
        serial=serial,
        model_name=model_name.strip(),
        token_hash=hash_token(token),
        token_prefix=token[:8],
    )
    return terminal, token


@transaction.atomic
def update_terminal(*, actor, terminal: Terminal, serial: str, model_name: str, is_active: bool) -> Terminal:
    """A monitoring editor over the vehicle's unit renames or (de)activates its terminal; serials stay unique."""
    _require_editor(actor, terminal.vehicle.org_unit, _("车载终端"))
    serial = (serial or "").strip()
    if not serial:
        raise ValidationError({"serial": _("请填写终端编号。")})
    if Terminal.objects.filter(serial=serial).exclude(pk=terminal.pk).exists():
        raise ValidationError({"serial": _("终端编号“%(serial)s”已登记。") % {"serial": serial}})
    terminal.serial, terminal.model_name, terminal.is_active = serial, model_name.strip(), is_active
    terminal.save()
    return terminal


@transaction.atomic
def rotate_token(*, actor, terminal: Terminal) -> str:
    """Issue a new token (the old one stops working at once) and return it, shown this once."""
    _require_editor(actor, terminal.vehicle.org_unit, _("车载终端"))
    token = _new_token()
    terminal.token_hash, terminal.token_prefix = hash_token(token), token[:8]
    terminal.token_rotated_at = timezone.now()
    terminal.save()
    return token


# --- Ingestion -----------------------------------------------------------------------------------


class BatchRejected(Exception):
    """A batch with bad points: nothing was written. ``rejected`` lists {"index", "reason"}."""

    def __init__(self, rejected: list[dict], message: str):
        super().__init__(message)
        self.rejected = rejected
        self.message = message


@dataclass
class IngestResult:
    received: int
    stored: int
    duplicates: int
    alerts_created: list[int] = field(default_factory=list)
    alerts_extended: int = 0

    def as_dict(self) -> dict:
        return {
            "received": self.received,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "alerts_created": len(self.alerts_created),
            "alerts_extended": self.alerts_extended,
        }


def _validate_points(terminal: Terminal, points, *, now: datetime | None = None) -> tuple[list[Fix], list[dict]]:
    """Every point checked; returns the valid positions and the rejects ({"index", "reason"})."""
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    vehicle = terminal.vehicle
    valid: list[Fix] = []
    rejected: list[dict] = []
    for index, raw in enumerate(points):
        fix, reason = rules.check_point(raw, vehicle_pk=vehicle.pk, plate=vehicle.plate, now=now, tz=tz)
        if reason:
            rejected.append({"index": index, "reason": reason})
        else:
            valid.append(fix)
    return valid, rejected


def ingest(*, terminal: Terminal, points, now: datetime | None = None, in_sql: bool | None = None) -> IngestResult:
    """Store a terminal's batch and evaluate the alert rules on the points it added.

    All or nothing: a batch with any bad point (or too many points) raises BatchRejected and
    writes nothing. Points already stored for (vehicle, time), or repeated within the batch,
    are duplicates: counted, not stored again, and they raise no alert.

    On PostgreSQL the batch is staged and evaluated in SQL (``staging``); elsewhere, or with
    ``in_sql=False``, point by point in Python. Both give the same answer and the same alerts.
    """
    now = now or timezone.now()
    if not isinstance(points, list) or not points:
        raise BatchRejected([], _("请提交定位点列表（points），至少1个点。"))
    if len(points) > rules.MAX_BATCH:
        raise BatchRejected(
            [],
            _("每批最多%(MAX_BATCH)s个定位点，本批%(count)s个。")
            % {"MAX_BATCH": rules.MAX_BATCH, "count": len(points)},
        )
    if connection.vendor == "postgresql" if in_sql is None else in_sql:
        return _ingest_staged(terminal, points, now)
    valid, rejected = _validate_points(terminal, points, now=now)
    if rejected:
        raise _rejected(rejected)

    by_time: dict[datetime, Fix] = {}
    for p in valid:
        by_time.setdefault(p.time, p)
    with transaction.atomic():
        # Updating the terminal's row first locks it: two batches of one terminal are stored and
        # evaluated one after the other, so the second sees the first's alerts and extends them.
        Terminal.objects.filter(pk=terminal.pk).update(last_seen_at=now)
        terminal.last_seen_at = now
        fresh = sorted(_insert_new(terminal.vehicle_id, list(by_time.values())), key=lambda p: p.time)
        latest = max((p.time for p in fresh), default=None)
        if latest:
            # Greatest of the stored and the new value, in SQL: a batch of older, buffered points must not move it back.
            Terminal.objects.filter(pk=terminal.pk).filter(
                Q(last_position_at__isnull=True) | Q(last_position_at__lt=latest)
            ).update(last_position_at=latest)
            if terminal.last_position_at is None or latest > terminal.last_position_at:
                terminal.last_position_at = latest
        # The terminal reports again: its offline episode ends now.
        Alert.objects.filter(vehicle_id=terminal.vehicle_id, kind=AlertKind.OFFLINE, ended_at__isnull=True).update(
            ended_at=now
        )
        result = IngestResult(received=len(points), stored=len(fresh), duplicates=len(points) - len(fresh))
        if fresh:
            created, extended = _evaluate(terminal.vehicle, fresh)
            result.alerts_created, result.alerts_extended = created, extended
    return result


def _rejected(rejected: list[dict]) -> BatchRejected:
    return BatchRejected(rejected, _("%(count)s个定位点不合格，本批未写入任何数据。") % {"count": len(rejected)})


def _ingest_staged(terminal: Terminal, points: list, now: datetime) -> IngestResult:
    """The batch read in Python (times parsed, numbers and booleans taken as sent), then checked, stored and
    evaluated in SQL: the statements of ``staging``, one transaction."""
    vehicle = terminal.vehicle
    tz = timezone.get_current_timezone()
    columns = rules.read_batch(points, vehicle_pk=vehicle.pk, plate=vehicle.plate, tz=tz)
    done = staging.ingest_batch(terminal=terminal, now=now, columns=columns)
    if done.rejected:
        raise _rejected(done.rejected)  # nothing was kept, not even the terminal's row
    terminal.last_seen_at = now
    if done.latest and (terminal.last_position_at is None or done.latest > terminal.last_position_at):
        terminal.last_position_at = done.latest
    return IngestResult(
        received=len(points),
        stored=done.stored,
        duplicates=len(points) - done.stored,
        alerts_created=done.created,
        alerts_extended=done.extended,
    )


def _insert_new(vehicle_id: int, positions: list[Fix]) -> list[Fix]:
    """Insert the positions not stored yet and return those (the ones the rules must see).

    PostgreSQL: one ``INSERT … SELECT unnest(arrays) ON CONFLICT DO NOTHING RETURNING time`` — the
    database says which rows were new, also when a retry races the original upload. Elsewhere:
    read the times already stored, then ``bulk_create(ignore_conflicts=True)``.
    """
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Position._meta.db_table)
        sql = (
            f'INSERT INTO {table} (vehicle_id, "time", lat, lon, speed, ignition) '
            "SELECT %s, * FROM unnest(%s::timestamptz[], %s::float8[], %s::float8[], %s::float8[], %s::bool[]) "
            'ON CONFLICT (vehicle_id, "time") DO NOTHING RETURNING "time"'
        )
        params = [
            vehicle_id,
            [p.time for p in positions],
            [p.lat for p in positions],
            [p.lon for p in positions],
            [p.speed for p in positions],
            [p.ignition for p in positions],
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            inserted = {row[0] for row in cursor.fetchall()}
        return [p for p in positions if p.time in inserted]
    existing = set(
        Position.objects.filter(vehicle_id=vehicle_id, time__in=[p.time for p in positions]).values_list(
            "time", flat=True
        )
    )
    fresh = [p for p in positions if p.time not in existing]
    # ignore_conflicts: a concurrent upload of the same points (a retry racing the original) is no error.
    Position.objects.bulk_create(
        [Position(vehicle_id=vehicle_id, **p._asdict()) for p in fresh], batch_size=1000, ignore_conflicts=True
    )
    return fresh


# --- Rule evaluation -----------------------------------------------------------------------------


def _evaluate(vehicle, points: list[Fix]) -> tuple[list[int], int]:
    """Run the rules on newly stored points; merge each episode into the vehicle's alert of the same
    kind that it continues (within the rule's gap, before or after), else create one. Returns the
    ids of the alerts created and the number extended."""
    rule_set = selectors.rules_for_unit(vehicle.org_unit)
    found = {kind: eps for kind, eps in selectors.violations(vehicle, points, rule_set).items() if eps}
    if not found:
        return [], 0
    widest = max(timedelta(minutes=rule_set[k].gap_minutes) for k in found)
    nearby = list(
        Alert.objects.filter(
            vehicle_id=vehicle.pk,
            kind__in=list(found),
            started_at__lte=points[-1].time + widest,
            ended_at__gte=points[0].time - widest,
        )
    )
    created: list[Alert] = []
    extended = 0
    for kind, eps in found.items():
        rule = rule_set[kind]
        gap = timedelta(minutes=rule.gap_minutes)
        candidates = [a for a in nearby if a.kind == kind]
        for ep in eps:
            match = next((a for a in candidates if a.started_at - gap <= ep.end and a.ended_at + gap >= ep.start), None)
            if match is None:
                alert = Alert(
                    vehicle_id=vehicle.pk,
                    kind=kind,
                    started_at=ep.start,
                    ended_at=ep.end,
                    point_count=ep.points,
                    max_speed=ep.max_speed,
                    lat=ep.lat,
                    lon=ep.lon,
                    **_detail(rules.alert_detail(kind, rule.threshold, ep)),
                )
                created.append(alert)
                candidates.append(alert)
                continue
            match.started_at = min(match.started_at, ep.start)
            match.ended_at = max(match.ended_at, ep.end)
            match.point_count += ep.points
            match.max_speed = max(match.max_speed or 0, ep.max_speed)
            if kind == AlertKind.OVERSPEED:
                for name, value in _detail(rules.alert_detail(kind, rule.threshold, match)).items():
                    setattr(match, name, value)
            if match.pk:
                Alert.objects.filter(pk=match.pk).update(
                    started_at=match.started_at,
                    ended_at=match.ended_at,
                    point_count=match.point_count,
                    max_speed=match.max_speed,
                    detail=match.detail,
                    detail_key=match.detail_key,
                    detail_values=match.detail_values,
                )
                extended += 1
    Alert.objects.bulk_create(created)
    if created and created[0].pk is None:  # backends that do not return ids from bulk inserts
        return [], extended
    return [a.pk for a in created], extended


def _detail(message) -> dict:
    """An alert's line as its three columns: the Chinese text, the message and its values."""
    text, key, values = keyed.split(message, 200)
    return {"detail": text, "detail_key": key, "detail_values": values}


# --- Offline check (Celery beat) -----------------------------------------------------------------


@transaction.atomic
def terminals_check_offline(*, now: datetime | None = None) -> dict:
    """Raise one 终端离线 alert for each active terminal silent longer than its unit's threshold and
    without an ongoing one (idempotent: run it twice, nothing doubles)."""
    now = now or timezone.now()
    rows = list(AlertRule.objects.filter(kind=AlertKind.OFFLINE).select_related("org_unit"))
    thresholds = [r.threshold for r in rows if r.enabled] + [rules.DEFAULT_RULES[AlertKind.OFFLINE].threshold]
    earliest_cut = now - timedelta(hours=min(thresholds))
    silent = (
        Terminal.objects.filter(is_active=True)
        .filter(Q(last_seen_at__lt=earliest_cut) | Q(last_seen_at__isnull=True, created_at__lt=earliest_cut))
        .exclude(
            vehicle_id__in=Alert.objects.filter(kind=AlertKind.OFFLINE, ended_at__isnull=True).values("vehicle_id")
        )
        .select_related("vehicle", "vehicle__org_unit")
    )
    alerts = []
    for terminal in silent.iterator(chunk_size=2000):
        rule = selectors.resolve_rules(rows, terminal.vehicle.org_unit.path)[AlertKind.OFFLINE]
        if not rule.enabled:
            continue
        since = terminal.last_seen_at or terminal.created_at
        if since >= now - timedelta(hours=rule.threshold):
            continue
        hours = (now - since).total_seconds() / 3600
        alerts.append(
            Alert(
                vehicle_id=terminal.vehicle_id,
                kind=AlertKind.OFFLINE,
                started_at=since,
                **_detail(rules.offline_detail(terminal.serial, hours, rule.threshold)),
            )
        )
    # ignore_conflicts: the partial unique index keeps one ongoing offline alert per vehicle if two runs overlap.
    Alert.objects.bulk_create(alerts, batch_size=1000, ignore_conflicts=True)
    return {"offline": len(alerts)}


# --- Acknowledgement -----------------------------------------------------------------------------


@transaction.atomic
def acknowledge(*, actor, alert: Alert, comment: str) -> Alert:
    """处理告警: a dispatcher or bureau administrator of the vehicle's unit records what was found."""
    alert = Alert.objects.select_for_update().select_related("vehicle__org_unit").get(pk=alert.pk)
    _require_editor(actor, alert.vehicle.org_unit, _("告警"))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("请填写处理意见。")})
    if len(comment) > 500:
        raise ValidationError({"comment": _("处理意见不超过500字。")})
    if alert.status == Alert.Status.ACKNOWLEDGED:
        raise ValidationError({"comment": _("该告警已处理，不能重复处理。")})
    alert.status = Alert.Status.ACKNOWLEDGED
    alert.acknowledged_by = actor
    alert.acknowledged_at = timezone.now()
    alert.comment = comment
    alert.save(update_fields=["status", "acknowledged_by", "acknowledged_at", "comment"])
    return alert


# --- Calendar ------------------------------------------------------------------------------------


def _require_calendar_editor(actor) -> None:
    if not scoping.holds_any(actor, selectors.CALENDAR_EDITORS):
        raise PermissionDenied(_("只有机关事务管理局管理员可以维护工作日历。"))


@transaction.atomic
def set_day(*, actor, date, kind: str, name: str = "", work_start=None, work_end=None) -> CalendarDay:
    """Record a date's kind and hours (replaces the row of that date)."""
    _require_calendar_editor(actor)
    errors = {}
    if kind not in DayKind.values:
        errors["kind"] = _("请选择日期类型。")
    if work_start and work_end and work_start >= work_end:
        errors["work_end"] = _("下班时间应晚于上班时间。")
    if (work_start or work_end) and kind not in rules.WORKING_KINDS:
        errors["work_start"] = _("只有工作日或调休上班日可以设置上下班时间。")
    if errors:
        raise ValidationError(errors)
    day, _created = CalendarDay.objects.update_or_create(
        date=date,
        defaults={"kind": kind, "name": name.strip(), "work_start": work_start, "work_end": work_end},
    )
    return day


@transaction.atomic
def delete_day(*, actor, day: CalendarDay) -> None:
    """Only a calendar editor removes a day from the working calendar (the default week applies again)."""
    _require_calendar_editor(actor)
    day.delete()


@transaction.atomic
def load_holidays(*, actor, year: int) -> int:
    """Write the year's public holidays and 调休 workdays into the calendar (rows of other dates are kept)."""
    _require_calendar_editor(actor)
    data = rules.holidays_of(year)
    if not data:
        raise ValidationError({"year": _("系统中没有%(year)s年的节假日安排，请逐日录入。") % {"year": year}})
    for d, (kind, name) in data.items():
        CalendarDay.objects.update_or_create(date=d, defaults={"kind": kind, "name": name})
    return len(data)


# --- Geofences and rules -------------------------------------------------------------------------


@transaction.atomic
def save_geofence(
    *, actor, org_unit: OrgUnit, name: str, polygon_text: str, is_active: bool = True, geofence: Geofence | None = None
) -> Geofence:
    """A fence of a unit the actor manages: a name unique in the unit and a valid polygon."""
    _require_editor(actor, org_unit, _("电子围栏"))
    if geofence is not None:
        _require_editor(actor, geofence.org_unit, _("电子围栏"))
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("请填写围栏名称。")
    try:
        polygon = rules.parse_polygon(polygon_text or "")
    except ValueError as exc:
        errors["polygon_text"] = str(exc)
    if (
        not errors
        and Geofence.objects.filter(org_unit=org_unit, name=name).exclude(pk=getattr(geofence, "pk", None)).exists()
    ):
        errors["name"] = _("该单位已有名为“%(name)s”的围栏。") % {"name": name}
    if errors:
        raise ValidationError(errors)
    geofence = geofence or Geofence()
    geofence.org_unit, geofence.name, geofence.is_active = org_unit, name, is_active
    geofence.polygon = [[lon, lat] for lon, lat in polygon]
    geofence.save()
    return geofence


@transaction.atomic
def save_rule(
    *, actor, kind: str, org_unit: OrgUnit | None, enabled: bool, threshold: float, gap_minutes: int
) -> AlertRule:
    """Set a rule for a unit's subtree (dispatchers and bureau administrators of it) or globally (superusers)."""
    if org_unit is None:
        if not getattr(actor, "is_superuser", False):
            raise PermissionDenied(_("全局规则只能由系统管理员设置。"))
    else:
        _require_editor(actor, org_unit, _("告警规则"))
    errors = {}
    if kind not in AlertKind.values:
        errors["kind"] = _("请选择规则。")
    if threshold is None or threshold < 0:
        errors["threshold"] = _("阈值不能为负数。")
    elif kind == AlertKind.OVERSPEED and not 20 <= threshold <= rules.MAX_PLAUSIBLE_SPEED_KMH:
        errors["threshold"] = _("限速应在20到%(MAX_PLAUSIBLE_SPEED_KMH)s km/h之间。") % {
            "MAX_PLAUSIBLE_SPEED_KMH": f"{rules.MAX_PLAUSIBLE_SPEED_KMH:g}"
        }
    elif kind == AlertKind.OFFLINE and not 1 <= threshold <= 24 * 30:
        errors["threshold"] = _("离线阈值应在1到720小时之间。")
    if gap_minutes is None or not 0 <= gap_minutes <= 24 * 60:
        errors["gap_minutes"] = _("合并间隔应在0到1440分钟之间。")
    if errors:
        raise ValidationError(errors)
    try:
        rule, _created = AlertRule.objects.update_or_create(
            kind=kind,
            org_unit=org_unit,
            defaults={"enabled": enabled, "threshold": threshold, "gap_minutes": gap_minutes},
        )
    except IntegrityError:
        raise ValidationError({"kind": _("该单位已设置此规则。")}) from None
    return rule
