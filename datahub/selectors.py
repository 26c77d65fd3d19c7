"""Read queries of the directory. Views, the API and other apps read through these."""

from datetime import timedelta

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Length, Substr
from django.utils import timezone

from . import personal_data, scoping
from .models import AuditEntry, DirectoryCheck, ExportJob, ImportJob, OrgUnit, OrgUnitUserPermission, SidePost, User
from .roles import AUDIT_READERS, DIRECTORY_EDITORS, DIRECTORY_READERS, PEOPLE_READERS, permission_codename


def org_units_for(
    user, *, search: str = "", level: str = "", kind: str = "", within: OrgUnit | None = None
) -> QuerySet:
    qs = scoping.visible_units(user, roles=DIRECTORY_READERS)
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    if level:
        qs = qs.filter(level=level)
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__icontains=search) | Q(uscc__icontains=search))
    return qs.order_by("path")


def _subtree_totals(by_path) -> dict[str, int]:
    """Add each unit's count to every ancestor path: totals for whole subtrees, in one pass."""
    totals: dict[str, int] = {}
    for path, n in by_path:
        for end in range(OrgUnit.steplen, len(path) + 1, OrgUnit.steplen):
            totals[path[:end]] = totals.get(path[:end], 0) + n
    return totals


def _active_by_path(qs: QuerySet):
    return qs.filter(is_active=True).values("org_unit__path").annotate(n=Count("pk")).values_list("org_unit__path", "n")


def attach_headcounts(units) -> None:
    """Set ``headcount`` (active people in the unit and below it) on a page of units, in one grouped query."""
    units = list(units)
    if not units:
        return
    totals = _subtree_totals(
        _active_by_path(User.objects.filter(scoping.subtree_q([u.path for u in units], "org_unit")))
    )
    for unit in units:
        unit.headcount = totals.get(unit.path, 0)


def subtree_headcounts(user) -> dict[str, int]:
    """Active people in each visible unit's subtree, keyed by path (for exports of many units)."""
    return _subtree_totals(_active_by_path(scoping.scope(User.objects.all(), user, roles=DIRECTORY_READERS)))


def people_for(
    user,
    *,
    search: str = "",
    unit: OrgUnit | None = None,
    post_level: str = "",
    rank: str = "",
    active: bool | None = True,
) -> QuerySet:
    qs = scoping.scope(User.objects.all(), user, roles=PEOPLE_READERS).select_related("org_unit")
    if unit is not None:
        qs = qs.filter(org_unit__path__startswith=unit.path)
    if post_level:
        qs = qs.filter(post_level=post_level)
    if rank:
        qs = qs.filter(rank=rank)
    if active is not None:
        qs = qs.filter(is_active=active)
    if search:
        q = Q(name__icontains=search) | Q(username__icontains=search) | Q(job_title__icontains=search)
        if personal_data.may_unmask(user, "phone"):  # a masked number must not be findable digit by digit
            q |= Q(phone__icontains=search)
        qs = qs.filter(q)
    return qs.order_by("org_unit__path", "username")


def role_grants_of(user: User) -> QuerySet:
    """The (role, unit) grants a user holds, for display."""
    return user.orgunituserpermission_set.filter(permission__codename__startswith="role_").select_related(
        "permission", "content_object"
    )


def nearest_holders(role: str, unit: OrgUnit, *, exclude: User | None = None) -> tuple[list[User], OrgUnit | None]:
    """Active people holding ``role`` on ``unit`` or, failing that, on the nearest ancestor that has any.

    Returns the holders and the unit their grant sits on. The workflow engine uses this to
    find who decides a step ("the head of the requester's department", "the dispatcher of
    the requester's agency").
    """
    ancestor_paths = [unit.path[:i] for i in range(OrgUnit.steplen, len(unit.path) + 1, OrgUnit.steplen)]
    grants = (
        OrgUnitUserPermission.objects.filter(
            permission__codename=permission_codename(role),
            content_object__path__in=ancestor_paths,
            content_object__is_active=True,
            user__is_active=True,
        )
        .exclude(user=exclude)
        .select_related("user", "content_object")
        .order_by("-content_object__depth", "user__username")
    )
    holders: list[User] = []
    at = None
    for grant in grants:
        if at is None:
            at = grant.content_object
        elif grant.content_object_id != at.pk:
            break
        if grant.user not in holders:
            holders.append(grant.user)
    return holders, at


def history_of(obj, limit: int = 10) -> QuerySet:
    """The latest ``limit`` history records of ``obj`` (django-simple-history), newest first, with who made them."""
    return obj.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit]


def history_with_changes(obj, limit: int = 20) -> list:
    """The latest history records of ``obj``, each with ``changes`` (field labels that changed).

    Records that changed nothing shown (a login touching only excluded fields) are left out.
    """
    records = list(obj.history.select_related("history_user")[: limit + 1])
    shown = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        if older is None:
            if len(records) <= limit:
                newer.changes = []
                shown.append(newer)
            continue
        delta = newer.diff_against(older)
        if delta.changes:
            newer.changes = [str(obj._meta.get_field(c.field).verbose_name) for c in delta.changes]
            shown.append(newer)
    return shown[:limit]


def can_see_full_id_number(viewer) -> bool:
    return personal_data.may_unmask(viewer, "id_number")


def directory_units(user) -> QuerySet:
    """The units the directory's totals count (the home page: datahub.home)."""
    return scoping.visible_units(user, roles=DIRECTORY_READERS)


def directory_people(user) -> QuerySet:
    """The active people the directory's totals count."""
    return scoping.scope(User.objects.filter(is_active=True), user, roles=PEOPLE_READERS)


def directory_totals(user) -> dict:
    units, people = directory_units(user), directory_people(user)
    # Both unit totals in one scan of the visible subtree.
    totals = units.aggregate(units=Count("pk"), institutions=Count("pk", filter=Q(level=OrgUnit.Level.INSTITUTION)))
    return {**totals, "people": people.count()}


def staffing_by_institution() -> list[dict]:
    """Per institution: staffing quota (编制数) and the staffing seats used by active people in its subtree.

    One grouped query for people, one for institutions; each unit's seats are added to every
    ancestor path (a handful per unit), so the cost grows with units × depth, not units².
    """
    seats_by_path = (
        User.objects.filter(is_active=True, org_unit__isnull=False)
        .values("org_unit__path")
        .annotate(seats=Sum("staffing_seats"))
        .values_list("org_unit__path", "seats")
    )
    subtree_seats: dict[str, int] = {}
    for path, seats in seats_by_path:
        for end in range(OrgUnit.steplen, len(path) + 1, OrgUnit.steplen):
            subtree_seats[path[:end]] = subtree_seats.get(path[:end], 0) + seats
    return [
        {"unit_id": unit.pk, "name": unit.name, "quota": unit.staffing_quota, "used": subtree_seats.get(unit.path, 0)}
        for unit in OrgUnit.objects.filter(level=OrgUnit.Level.INSTITUTION, is_active=True).only(
            "pk", "name", "path", "staffing_quota"
        )
    ]


def people_in_inactive_units() -> QuerySet:
    return User.objects.filter(is_active=True, org_unit__is_active=False).select_related("org_unit")


def latest_directory_findings(user) -> tuple[DirectoryCheck | None, list[dict]]:
    """The last consistency check and those of its findings that concern units the user administers."""
    check = DirectoryCheck.objects.first()
    if check is None:
        return None, []
    named = {f.get("unit_id") for f in check.findings} - {None}
    if not named:
        return check, []
    # Only the units the findings name (a province administrator sees thousands of units).
    visible = set(
        scoping.visible_units(user, roles=DIRECTORY_EDITORS).filter(pk__in=named).values_list("pk", flat=True)
    )
    return check, [f for f in check.findings if f.get("unit_id") in visible]


def audit_entries_for(
    user,
    *,
    kind: str = "",
    actor: str = "",
    subject: str = "",
    ip: str = "",
    since=None,
    until=None,
) -> QuerySet:
    """Audit entries an auditor may read: those whose actor or subject belongs to a unit in their subtree
    (a failed sign-in under an unknown name has neither, so only superusers see it)."""
    qs = AuditEntry.objects.all()
    if not user.is_superuser:
        paths = scoping.granted_paths(user, AUDIT_READERS) if user.is_active else []
        qs = qs.filter(scoping.subtree_q(paths, "actor_unit") | scoping.subtree_q(paths, "subject_unit"))
    if kind:
        qs = qs.filter(kind=kind)
    if actor:
        qs = qs.filter(actor_username__icontains=actor)
    if subject:
        qs = qs.filter(subject_name__icontains=subject)
    if ip:
        qs = qs.filter(ip=ip)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.order_by("-at", "-pk")


def import_jobs_of(user) -> QuerySet:
    """A user's own import jobs, newest first: nobody else's, whatever their roles."""
    return ImportJob.objects.filter(user=user).defer("row_errors").order_by("-created_at")


def unfinished_import_jobs(user, *, days: int = 7) -> QuerySet:
    """The user's own import jobs of the last ``days`` days that did not finish well (queued, running,
    failed): the home page's "imports" line."""
    since = timezone.now() - timedelta(days=days)
    return ImportJob.objects.filter(user=user, created_at__gte=since).exclude(status=ImportJob.Status.DONE)


def import_job_of(user, pk) -> ImportJob | None:
    """One of the user's own import jobs, or None (another person's job does not exist for them)."""
    return ImportJob.objects.filter(user=user, pk=pk).first()


def export_jobs_of(user, *, done: bool = False) -> QuerySet:
    """A user's own export jobs (only those finished when ``done``): nobody else's, whatever their roles."""
    qs = ExportJob.objects.filter(user=user)
    return qs.filter(status=ExportJob.Status.DONE) if done else qs


def with_parent_name(units: QuerySet) -> QuerySet:
    """``units`` each annotated with ``parent_name`` (in the same query), so a list or a picker names a
    department with its agency ("财政厅 › 办公室", the ``unit_path`` filter): five 办公室 told apart."""
    parent = OrgUnit.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - OrgUnit.steplen)
    ).values("name")[:1]
    return units.annotate(parent_name=Subquery(parent))


def with_unit_parent_name(rows: QuerySet, field: str = "org_unit", name: str = "unit_parent_name") -> QuerySet:
    """Rows of another table each annotated with ``name`` (``unit_parent_name``), the name of the parent of
    their ``field`` unit (same query): a list names the requester's department with its agency. A row with
    two unit columns passes a second ``name``."""
    parent = OrgUnit.objects.filter(
        path=Substr(OuterRef(f"{field}__path"), 1, Length(OuterRef(f"{field}__path")) - OrgUnit.steplen)
    ).values("name")[:1]
    return rows.annotate(**{name: Subquery(parent)})


def units_at_levels(user, *, roles, levels, limit: int, search: str = "", first_id: int | None = None) -> QuerySet:
    """At most ``limit`` units the user sees with ``roles``, at ``levels`` (a list's unit filter), in tree
    order, each with its parent's name: those whose name contains ``search`` or whose code starts with it,
    and ``first_id`` first."""
    units = with_parent_name(scoping.visible_units(user, roles=roles).filter(level__in=levels))
    if search:
        units = units.filter(Q(name__icontains=search) | Q(code__istartswith=search) | Q(pk=first_id or 0))
    if first_id:
        first = Case(When(pk=first_id, then=Value(0)), default=Value(1), output_field=IntegerField())
        return units.order_by(first, "path")[:limit]
    return units.order_by("path")[:limit]


def institution_id_of(unit_id: int | None) -> int | None:
    """The 机关/单位 a unit belongs to (itself if it is one; its nearest institution ancestor if a department),
    None for a region or no unit. One query."""
    if unit_id is None:
        return None
    unit = OrgUnit.objects.get(pk=unit_id)
    if unit.level == OrgUnit.Level.INSTITUTION:
        return unit.pk
    chain = [a for a in unit.get_ancestors() if a.level == OrgUnit.Level.INSTITUTION]
    return chain[-1].pk if chain else None


def unit_neighbours(user, unit: OrgUnit) -> tuple[list[OrgUnit], list[OrgUnit]]:
    """A unit page's breadcrumb (its ancestors, each marked ``visible`` when the user may open its
    page, so that no link leads to a 404) and its direct children with their headcounts."""
    children = list(OrgUnit.objects.get_children(unit))
    attach_headcounts(children)
    ancestors = list(OrgUnit.objects.get_ancestors(unit))
    visible = set(org_units_for(user).filter(pk__in=[a.pk for a in ancestors]).values_list("pk", flat=True))
    for ancestor in ancestors:
        ancestor.visible = ancestor.pk in visible
    return ancestors, children


def unit_members(user, unit: OrgUnit, limit: int = 200) -> tuple[list[User], int]:
    """The first ``limit`` active people of exactly this unit the user may see, and how many there are."""
    members = people_for(user).filter(org_unit=unit)
    return list(members[:limit]), members.count()


def person_for(user, pk) -> User | None:
    """One person the user may see (inactive included), or None; everyone may see themselves."""
    if str(user.pk) == str(pk):
        return user
    return people_for(user, active=None).filter(pk=pk).first()


def side_posts_of(person, *, active_only: bool = False) -> QuerySet:
    """The 兼职 posts the directory holds for ``person`` (open ones only with ``active_only``)."""
    if person is None or not getattr(person, "pk", None):
        return SidePost.objects.none()
    qs = SidePost.objects.filter(person=person).select_related("org_unit")
    return qs.filter(ended_on__isnull=True) if active_only else qs
