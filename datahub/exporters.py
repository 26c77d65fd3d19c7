"""The directory's Excel exports, registered with datahub.exports (filters as on the list pages)."""

import ipaddress

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from . import personal_data, selectors, services
from .exports import Export, client_meta, exporter
from .models import AuditEntry, OrgUnit
from .params import as_date, as_id


def _within(user, params: QueryDict) -> OrgUnit | bool | None:
    """The ``within`` unit if given and visible; False if given but not visible."""
    if not params.get("within"):
        return None
    pk = as_id(params["within"])
    if not pk:
        return False
    return selectors.org_units_for(user).filter(pk=pk).first() or False


def units_queryset(user, params: QueryDict):
    within = _within(user, params)
    if within is False:
        return OrgUnit.objects.none()
    return selectors.org_units_for(
        user,
        search=params.get("q", "").strip(),
        level=params.get("level", ""),
        kind=params.get("kind", ""),
        within=within,
    )


def people_queryset(user, params: QueryDict):
    within = _within(user, params)
    if within is False:
        return selectors.people_for(user).none()
    active = {"1": True, "0": False, "all": None}.get(params.get("active", "1"), True)
    return selectors.people_for(
        user,
        search=params.get("q", "").strip(),
        unit=within,
        post_level=params.get("post_level", ""),
        rank=params.get("rank", ""),
        active=active,
    )


@exporter("units")
def units_export(user, params: QueryDict) -> Export:
    qs = units_queryset(user, params)

    def rows():
        totals = selectors.subtree_headcounts(user)
        for u in qs.iterator(chunk_size=2000):
            yield (
                u.code,
                u.name,
                u.get_level_display(),
                u.get_kind_display(),
                u.uscc,
                u.region_code,
                u.staffing_quota,
                totals.get(u.path, 0),
            )

    headers = [
        _("机构编码"),
        _("名称"),
        _("层级"),
        _("机构类型"),
        _("统一社会信用代码"),
        _("行政区划代码"),
        _("编制数"),
        _("在岗人数（含下级）"),
    ]
    return Export(_("组织机构.xlsx"), headers, rows, qs.count())


@exporter("people")
def people_export(user, params: QueryDict) -> Export:
    """The people list as Excel: the extra columns and their masking follow datahub.personal_data, and every
    unmasked 身份证号 or phone that goes into the file is audited as an export once the file is written."""
    qs = people_queryset(user, params)
    view = personal_data.PersonView(user)
    columns = view.columns
    labels = {"email": _("电子邮箱"), "phone": _("电话"), "id_number": _("身份证号")}

    def rows():
        for p in qs.iterator(chunk_size=2000):
            allowed = view.fields_for(p)
            yield (
                p.username,
                p.name,
                p.org_unit.name if p.org_unit else "",
                p.get_post_level_display(),
                p.get_rank_display(),
                _("主职") if p.is_main_post else _("兼职"),
                p.job_title,
                *(view.value(p, field, allowed=allowed) for field in columns),
            )
        services.record_personal_data_reads(
            actor=user, revealed=view.revealed, surface="export", export=True, meta=client_meta()
        )

    headers = [
        _("用户名"),
        _("姓名"),
        _("所在单位/部门"),
        _("职务级别"),
        _("职级"),
        _("主职/兼职"),
        _("职务"),
        *(labels[f] for f in columns),
    ]
    return Export(_("人员名录.xlsx"), headers, rows, qs.count())


def audit_queryset(user, params: QueryDict):
    """The audit entries the auditor may read, filtered as on the audit page (a bad IP or date is ignored)."""
    ip = params.get("ip", "").strip()
    try:
        ip = str(ipaddress.ip_address(ip)) if ip else ""
    except ValueError:
        return AuditEntry.objects.none()
    kind = params.get("kind", "")
    return selectors.audit_entries_for(
        user,
        kind=kind if kind in AuditEntry.Kind.values else "",
        actor=params.get("actor", "").strip()[:150],
        subject=params.get("subject", "").strip()[:50],
        ip=ip,
        since=as_date(params.get("since")),
        until=as_date(params.get("until")),
    )


@exporter("audit")
def audit_export(user, params: QueryDict) -> Export:
    qs = audit_queryset(user, params)

    def rows():
        for e in qs.iterator(chunk_size=2000):
            yield (
                timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
                e.get_kind_display(),
                e.actor_username,
                e.subject_name,
                e.field_labels,
                e.surface,
                e.ip or "",
                e.user_agent,
                e.path,
            )

    headers = [
        _("时间"),
        _("事件"),
        _("操作人"),
        _("被查看人"),
        _("字段"),
        _("途径"),
        _("IP 地址"),
        _("浏览器标识"),
        _("请求地址"),
    ]
    return Export(_("审计日志.xlsx"), headers, rows, qs.count())
