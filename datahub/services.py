"""Every write to the org directory, people and role grants.

Each function runs in one transaction, checks that the actor may do it (a bureau
administrator whose grant covers the unit), validates the whole row, and raises
ValidationError (field → message) or PermissionDenied without writing anything.
"""

from datetime import timedelta

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from . import partitions, scoping, selectors
from .models import AuditEntry, DirectoryCheck, OrgUnit, OrgUnitUserPermission, SidePost, User
from .roles import DIRECTORY_EDITORS, GROUP_PERMISSIONS, STAFF_ROLES, Role, permission_codename
from .signals import org_unit_moved, person_leaving, person_moved, side_post_ended

# Which level may sit under which: the shape of the directory tree.
ALLOWED_PARENT_LEVELS = {
    OrgUnit.Level.REGION: {None, OrgUnit.Level.REGION},
    OrgUnit.Level.INSTITUTION: {OrgUnit.Level.REGION, OrgUnit.Level.INSTITUTION},
    OrgUnit.Level.DEPARTMENT: {OrgUnit.Level.INSTITUTION, OrgUnit.Level.DEPARTMENT},
}

ORG_UNIT_FIELDS = ("code", "name", "level", "kind", "uscc", "region_code", "staffing_quota", "is_active")
USER_FIELDS = (
    "username",
    "name",
    "email",
    "org_unit",
    "post_level",
    "rank",
    "is_main_post",
    "job_title",
    "phone",
    "id_number",
    "staffing_seats",
    "is_active",
)


def _require_editor(actor, unit: OrgUnit | None) -> None:
    if unit is None:
        if not (actor and actor.is_superuser):
            raise PermissionDenied(_("只有系统管理员可以创建顶级机构。"))
        return
    if not scoping.covers(actor, unit, roles=DIRECTORY_EDITORS):
        raise PermissionDenied(_("您没有管理“%(name)s”组织机构的权限。") % {"name": unit.name})


def check_org_unit_shape(*, unit: OrgUnit, parent: OrgUnit | None) -> None:
    """A unit's level must fit under its parent's; only institutions carry a kind-bearing USCC."""
    errors = {}
    parent_level = parent.level if parent else None
    if parent_level not in ALLOWED_PARENT_LEVELS.get(unit.level, set()):
        where = f"“{parent.get_level_display()}”" if parent else _("顶级")
        errors["level"] = _("“%(level)s”不能设在%(where)s之下。") % {"level": unit.get_level_display(), "where": where}
    if unit.level == OrgUnit.Level.INSTITUTION:
        if not unit.kind:
            errors["kind"] = _("机关/单位必须填写机构类型。")
        if not unit.uscc:
            errors["uscc"] = _("机关/单位必须填写统一社会信用代码。")
    elif unit.uscc:
        errors["uscc"] = _("只有机关/单位填写统一社会信用代码，内设机构和行政区域不填。")
    if errors:
        raise ValidationError(errors)


def _normalise_org_unit(unit: OrgUnit) -> None:
    unit.uscc = (unit.uscc or "").strip().upper() or None
    unit.code = (unit.code or "").strip()
    unit.name = (unit.name or "").strip()


@transaction.atomic
def create_org_unit(*, actor, parent: OrgUnit | None, **fields) -> OrgUnit:
    """Add a unit under ``parent``; a department inherits its parent's region code and kind."""
    _require_editor(actor, parent)
    unknown = set(fields) - set(ORG_UNIT_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, _("不支持的字段。")))
    if parent is not None:
        fields.setdefault("region_code", parent.region_code)
        if fields.get("level") == OrgUnit.Level.DEPARTMENT and not fields.get("kind"):
            fields["kind"] = parent.kind
    unit = OrgUnit(**fields)
    _normalise_org_unit(unit)
    check_org_unit_shape(unit=unit, parent=parent)
    # path/depth are set by treebeard on insert; validate everything else first.
    unit.full_clean(exclude=["path", "depth", "numchild"])
    try:
        with transaction.atomic():
            if parent is None:
                return OrgUnit.objects.add_root(instance=unit)
            return OrgUnit.objects.add_child(parent, instance=unit)
    except IntegrityError as exc:
        raise ValidationError({"code": _("机构编码或统一社会信用代码已被使用。")}) from exc


@transaction.atomic
def update_org_unit(*, actor, unit: OrgUnit, **fields) -> OrgUnit:
    """Change a unit's attributes (not its place in the tree)."""
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    _require_editor(actor, unit)
    unknown = set(fields) - set(ORG_UNIT_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, _("不支持的字段。")))
    for name, value in fields.items():
        setattr(unit, name, value)
    _normalise_org_unit(unit)
    check_org_unit_shape(unit=unit, parent=OrgUnit.objects.get_parent(unit))
    if not unit.is_active and unit.members.filter(is_active=True).exists():
        raise ValidationError({"is_active": _("该机构下仍有在岗人员，请先调整人员后再停用。")})
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def move_org_unit(*, actor, unit: OrgUnit, parent: OrgUnit) -> OrgUnit:
    """Move a unit, with everything below it, to the end of ``parent``'s children. Rule: the actor manages
    both the unit and its new parent; the unit's level must fit under the new parent; a unit cannot move
    under itself or below itself. Sends ``org_unit_moved`` (the subtree sums kept elsewhere follow)."""
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    parent = OrgUnit.objects.get(pk=parent.pk)
    _require_editor(actor, unit)
    _require_editor(actor, parent)
    if parent.path.startswith(unit.path):
        raise ValidationError({"parent": _("不能把机构移到它自己或它的下级机构之下。")})
    old_parent = OrgUnit.objects.get_parent(unit)
    if old_parent is not None and old_parent.pk == parent.pk:
        raise ValidationError({"parent": _("该机构已在所选上级机构之下。")})
    check_org_unit_shape(unit=unit, parent=parent)
    OrgUnit.objects.move(unit, parent, pos="last-child")
    unit = OrgUnit.objects.get(pk=unit.pk)
    org_unit_moved.send(
        sender=OrgUnit,
        actor=actor,
        unit=unit,
        old_parent_id=old_parent.pk if old_parent else None,
        new_parent_id=parent.pk,
    )
    return unit


def _clean_user(user: User, password: str | None) -> None:
    errors: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not user.is_superuser and user.org_unit_id is None:
        errors.setdefault("org_unit", []).append(_("请选择所在单位/部门。"))
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            errors.setdefault("password", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_user(*, actor, password: str | None, **fields) -> User:
    """Register a person in a unit the actor administers; the password must pass Django's validators.

    ``password=None`` registers a directory entry that cannot sign in until an administrator sets one.
    """
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, _("不支持的字段。")))
    user = User(**fields)
    user.id_number = (user.id_number or "").strip().upper()
    if user.org_unit is None and not actor.is_superuser:
        raise ValidationError({"org_unit": _("请选择所在单位/部门。")})
    _require_editor(actor, user.org_unit)
    _clean_user(user, password)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    return user


@transaction.atomic
def update_user(*, actor, user: User, password: str | None = None, **fields) -> User:
    """Change a person's record; moving them needs editor rights on both the old and the new unit.

    Deactivating an active person or moving them out of their 机关/单位 sends ``signals.person_leaving``
    (the portal files the 人员离岗一件事 from it); a move between departments of one agency does not.
    Any change of unit sends ``signals.person_moved`` after the save (the driver's unit follows it)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    was_active, old_unit_id = user.is_active, user.org_unit_id
    _require_editor(actor, user.org_unit)
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, _("不支持的字段。")))
    for name, value in fields.items():
        setattr(user, name, value)
    user.id_number = (user.id_number or "").strip().upper()
    if "org_unit" in fields:
        _require_editor(actor, user.org_unit)
    _clean_user(user, password)
    leaving = None
    if was_active and not user.is_active:
        leaving = "deactivated"
    elif (
        was_active
        and old_unit_id is not None
        and user.org_unit_id != old_unit_id
        # A move between departments of one agency keeps the person's office, assets and account: only
        # leaving the agency (调离) is a 离岗.
        and selectors.institution_id_of(user.org_unit_id) != selectors.institution_id_of(old_unit_id)
    ):
        leaving = "transfer"
    if leaving:
        # Sent before the save: a receiver sees the person still in the unit they leave.
        as_was = User.objects.get(pk=user.pk)
        person_leaving.send(sender=User, actor=actor, person=as_was, reason=leaving, last_day=timezone.localdate())
    if password:
        user.set_password(password)
    user.save()
    if old_unit_id != user.org_unit_id and user.org_unit_id is not None:
        person_moved.send(sender=User, actor=actor, person=user, old_unit_id=old_unit_id, new_unit_id=user.org_unit_id)
    return user


@transaction.atomic
def add_side_post(*, actor, person: User, org_unit: OrgUnit | None, title: str, started_on) -> SidePost:
    """Record a 兼职 post ``person`` holds in ``org_unit`` (an editor of the person's own unit records it).
    The post is refused for an inactive person, a closed unit, the person's own department, no title, or
    a second open post of the same title in the same unit."""
    person = User.objects.select_for_update().get(pk=person.pk)
    _require_editor(actor, person.org_unit)
    title = (title or "").strip()
    errors = {}
    if not person.is_active:
        errors["person"] = _("该人员已停用，不能登记兼职岗位。")
    if not title:
        errors["title"] = _("兼职岗位：请填写岗位名称。")
    if org_unit is None or not org_unit.is_active:
        errors["org_unit"] = _("兼职单位/部门：请选择一个在用的单位或部门。")
    elif org_unit.pk == person.org_unit_id:
        errors["org_unit"] = _("兼职单位/部门：不能是本人所在的部门（那是主职）。")
    elif person.side_posts.filter(org_unit=org_unit, title=title, ended_on__isnull=True).exists():
        errors["title"] = _("兼职岗位：已登记“%(name)s %(title)s”。") % {"name": org_unit.name, "title": title}
    if started_on is None:
        errors["started_on"] = _("起始日期：请填写。")
    if errors:
        raise ValidationError(errors)
    return SidePost.objects.create(person=person, org_unit=org_unit, title=title, started_on=started_on)


@transaction.atomic
def end_side_post(*, actor, post: SidePost, ended_on) -> SidePost:
    """End a 兼职 post in the directory; sends ``signals.side_post_ended`` so the second office approved for
    it falls due (office space's receiver). A post already ended, or an end before its start, is refused."""
    # Lock the post row alone: the person's unit is a nullable join, which PostgreSQL cannot lock.
    post = (
        SidePost.objects.select_for_update(of=("self",)).select_related("person__org_unit", "org_unit").get(pk=post.pk)
    )
    _require_editor(actor, post.person.org_unit)
    if post.ended_on is not None:
        raise ValidationError({"ended_on": _("结束日期：该兼职已于%(ended_on)s结束。") % {"ended_on": post.ended_on}})
    if ended_on is None or ended_on < post.started_on:
        raise ValidationError(
            {"ended_on": _("结束日期：不能早于起始日期（%(started_on)s）。") % {"started_on": post.started_on}}
        )
    post.ended_on = ended_on
    post.save(update_fields=["ended_on"])
    side_post_ended.send(sender=SidePost, actor=actor, post=post, last_day=ended_on)
    return post


def ensure_role_groups() -> dict[str, Group]:
    """Create each role's group with its model permissions (idempotent; runs after every app's migrate).

    Permissions of apps not migrated yet are skipped; the run after their migrate adds them.
    """
    wanted_by_role = {role: set(GROUP_PERMISSIONS.get(role, ())) for role in Role}
    all_wanted = set().union(*wanted_by_role.values())
    found = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type").filter(
            codename__in={d.split(".")[1] for d in all_wanted}
        )
    }
    groups = {}
    for role, wanted in wanted_by_role.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        group.permissions.set([found[d] for d in sorted(wanted) if d in found])
        groups[role.value] = group
    return groups


def _sync_membership(user: User) -> None:
    """Group membership and is_staff follow the grants a user holds; they are derived, not entered."""
    held = set(
        OrgUnitUserPermission.objects.filter(user=user, permission__codename__startswith="role_").values_list(
            "permission__codename", flat=True
        )
    )
    roles = {code.removeprefix("role_") for code in held}
    groups = Group.objects.filter(name__in=Role.values)
    user.groups.remove(*[g for g in groups if g.name not in roles])
    user.groups.add(*[g for g in groups if g.name in roles])
    staff = user.is_superuser or bool(roles & set(STAFF_ROLES))
    if user.is_staff != staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])
    scoping.forget(user)


@transaction.atomic
def grant_role(*, actor, user: User, role: str, unit: OrgUnit) -> None:
    """Grant ``role`` on ``unit`` (covering its subtree). Only an editor of that unit may grant."""
    if role not in Role.values:
        raise ValidationError({"role": _("未知的角色。")})
    _require_editor(actor, unit)
    if role == Role.BUREAU_ADMIN and not (actor.is_superuser or scoping.covers(actor, unit, roles=[role])):
        raise PermissionDenied(_("只能在自己管理的范围内授予管理员角色。"))
    ensure_role_groups()
    assign_perm(f"datahub.{permission_codename(role)}", user, unit)
    _sync_membership(user)


@transaction.atomic
def revoke_role(*, actor, user: User, role: str, unit: OrgUnit) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("未知的角色。")})
    _require_editor(actor, unit)
    remove_perm(f"datahub.{permission_codename(role)}", user, unit)
    _sync_membership(user)


@transaction.atomic
def run_directory_check() -> DirectoryCheck:
    """Record where the directory contradicts itself: units over their staffing quota (超编),
    and active people placed in a unit that has been deactivated."""
    findings = []
    staffing = selectors.staffing_by_institution()
    for row in staffing:
        if row["used"] > row["quota"]:
            findings.append(
                {
                    "rule": "over_quota",
                    "unit_id": row["unit_id"],
                    "message": _("%(name)s：在编 %(used)s 人，超出编制数 %(quota)s。")
                    % {"name": row["name"], "used": row["used"], "quota": row["quota"]},
                }
            )
    for person in selectors.people_in_inactive_units():
        findings.append(
            {
                "rule": "inactive_unit",
                "user_id": person.pk,
                "unit_id": person.org_unit_id,
                "message": _("%(name)s：所在机构“%(name2)s”已停用。")
                % {"name": person.name, "name2": person.org_unit.name},
            }
        )
    return DirectoryCheck.objects.create(units_checked=len(staffing), findings=findings)


# --- Audit trail -------------------------------------------------------------------------
# 等保 2.0 asks for at least six months of audit records; the setting may lengthen it, never shorten it.
MIN_AUDIT_RETENTION_DAYS = 183


def audit_retention_days() -> int:
    return max(int(getattr(settings, "AUDIT_RETENTION_DAYS", 365)), MIN_AUDIT_RETENTION_DAYS)


def request_meta(*, request) -> dict:
    if request is None:
        return {"path": "", "ip": None, "user_agent": ""}
    raw = getattr(request, "_request", request)  # a DRF Request wraps the HttpRequest
    return {
        "path": raw.get_full_path()[:500],
        "ip": get_client_ip_address(raw) or None,
        "user_agent": raw.META.get("HTTP_USER_AGENT", "")[:500],
    }


def record_personal_data_reads(
    *, actor, revealed: dict, surface: str, request=None, export=False, meta: dict | None = None
) -> int:
    """Append one audit row per person whose unmasked 身份证号 or phone ``actor`` was shown (or exported).

    ``revealed`` maps each person (a User) to the fields shown in full. The rule: every unmasked rendering of
    another person's personal data is logged with who, when, from which IP and browser; reading your own
    data is not. One INSERT for the whole page or export (in batches of 2,000).
    """
    if not revealed:
        return 0
    meta = meta if meta is not None else request_meta(request=request)
    now = timezone.now()
    entries = [
        AuditEntry(
            at=now,
            kind=AuditEntry.Kind.EXPORT if export else AuditEntry.Kind.READ,
            actor_id=actor.pk,
            actor_username=actor.get_username(),
            actor_unit_id=actor.org_unit_id,
            subject_id=person.pk,
            subject_name=person.name[:50],
            subject_unit_id=person.org_unit_id,
            fields=",".join(sorted(fields)),
            surface=surface,
            **meta,
        )
        for person, fields in revealed.items()
        if person.pk != actor.pk
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=2000)
    return len(entries)


def record_sign_in_failure(*, username: str, request=None) -> AuditEntry:
    """Append a failed sign-in (pages and API alike) with the name typed, IP and browser.

    Kept in our own append-only trail because django-axes forgets a user's failures on their next success.
    """
    user = User.objects.filter(username=username).only("pk", "org_unit_id").first() if username else None
    return AuditEntry.objects.create(
        kind=AuditEntry.Kind.SIGN_IN_FAILED,
        actor_id=user.pk if user else None,
        actor_username=(username or "")[:150],
        actor_unit_id=user.org_unit_id if user else None,
        surface="sign_in",
        **request_meta(request=request),
    )


def purge_expired_audit(*, now=None) -> int:
    """Delete audit rows older than the retention period — never a row younger than 183 days."""
    cutoff = (now or timezone.now()) - timedelta(days=audit_retention_days())
    deleted, _ = AuditEntry.objects.all().purge_before(cutoff)
    return deleted


def month_partitions_ensure(*, today=None) -> list[str]:
    """On PostgreSQL, every time-series table partitioned by month (the access trail, the GPS positions, the
    energy monthly records) has its partitions from its ``behind`` months back to three months ahead
    (idempotent; run daily by beat). A month whose rows already fell into a DEFAULT partition is left there: its
    partition cannot be created over rows that would move. Not atomic on purpose: each CREATE TABLE commits on
    its own, so one refused month does not undo the others. Returns the partitions created."""
    day = today or timezone.localdate()
    return [name for table in partitions.TABLES.values() for name in table.ensure(day)]


def month_partitions_detach(*, table: str, before, today=None) -> list[str]:
    """Detach the month partitions of ``table`` (a key of ``partitions.TABLES``) older than the month
    ``before``, for archiving: each stays a table of its own, no longer read through the parent (dump it, then
    drop it). A month the beat task still keeps (``behind`` months back) cannot be detached: it would be
    created again empty the next day and its late rows would land there. Nothing changes on a refusal."""
    spec = partitions.TABLES.get(table)
    if spec is None:
        raise ValidationError({"table": _("没有按月分区的表“%(table)s”。") % {"table": table}})
    if not spec.is_partitioned():
        raise ValidationError({"table": _("表“%(table)s”在此数据库上未分区。") % {"table": table}})
    kept = spec.first_kept(today or timezone.localdate())
    if partitions.month_start(before) > kept:
        raise ValidationError(
            {"before": _("%(month)s 及以后的月份仍在保留期内，不能分离。") % {"month": f"{kept:%Y-%m}"}}
        )
    with transaction.atomic():
        return spec.detach(partitions.month_start(before))
