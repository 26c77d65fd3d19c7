"""The catalog's Excel export, in the column order of 《政务信息资源目录编制指南(试行)》."""

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..exports import Export, exporter
from . import selectors
from .models import shown_caller

HEADERS = (
    gettext_lazy("信息资源分类"),
    gettext_lazy("信息资源名称"),
    gettext_lazy("信息资源代码"),
    gettext_lazy("信息资源提供方"),
    gettext_lazy("提供方代码"),
    gettext_lazy("信息资源摘要"),
    gettext_lazy("信息资源格式"),
    gettext_lazy("信息项信息"),
    gettext_lazy("共享类型"),
    gettext_lazy("共享条件"),
    gettext_lazy("共享方式"),
    gettext_lazy("不予共享依据"),
    gettext_lazy("开放属性"),
    gettext_lazy("更新周期"),
    gettext_lazy("发布日期"),
    gettext_lazy("关联资源代码"),
    gettext_lazy("状态"),
    gettext_lazy("版本"),
)


@exporter("catalog")
def catalog_export(user, params: QueryDict) -> Export:
    qs = selectors.catalog_for(user, params).prefetch_related("items")

    def rows():
        for d in qs.iterator(chunk_size=500):
            yield (
                d.category,
                d.name,
                d.code,
                d.provider.name,
                d.provider.code,
                d.summary,
                d.get_format_display(),
                "；".join(f"{i.label}（{i.data_type}{_('，个人信息') if i.personal else ''}）" for i in d.items.all()),
                d.get_share_type_display(),
                d.share_condition,
                d.share_method,
                d.legal_basis,
                d.get_open_attr_display(),
                d.get_update_cycle_display(),
                d.published_on.isoformat() if d.published_on else "",
                d.related_codes,
                d.get_status_display(),
                d.version,
            )

    return Export(filename=_("政务数据资源目录.xlsx"), headers=HEADERS, rows=rows, total=qs.count())


@exporter("trail")
def trail_export(user, params: QueryDict) -> Export:
    qs = selectors.trail_for(user, params)
    headers = (
        _("序号"),
        _("时间"),
        _("类型"),
        _("调用方"),
        _("资源代码"),
        _("信息项"),
        _("数据范围"),
        _("查询条件"),
        _("返回行数"),
        _("字节数"),
        _("状态码"),
        _("耗时（毫秒）"),
        _("摘要"),
    )

    def rows():
        for r in qs.iterator(chunk_size=2000):
            yield (
                r.seq,
                r.at.isoformat(),
                r.get_kind_display(),
                shown_caller(r.caller_label),
                r.dataset_code,
                r.items,
                r.row_scope,
                r.filter,
                r.rows,
                r.bytes,
                r.status,
                r.duration_ms,
                r.hash,
            )

    return Export(filename=_("调用日志.xlsx"), headers=headers, rows=rows, total=qs.count())
