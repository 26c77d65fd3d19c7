"""The catalog's Excel export, in the column order of 《政务信息资源目录编制指南(试行)》."""

from django.http import QueryDict

from ..exports import Export, exporter
from . import selectors

HEADERS = (
    "信息资源分类",
    "信息资源名称",
    "信息资源代码",
    "信息资源提供方",
    "提供方代码",
    "信息资源摘要",
    "信息资源格式",
    "信息项信息",
    "共享类型",
    "共享条件",
    "共享方式",
    "不予共享依据",
    "开放属性",
    "更新周期",
    "发布日期",
    "关联资源代码",
    "状态",
    "版本",
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
                "；".join(f"{i.label}（{i.data_type}{'，个人信息' if i.personal else ''}）" for i in d.items.all()),
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

    return Export(filename="政务数据资源目录.xlsx", headers=HEADERS, rows=rows, total=qs.count())


@exporter("trail")
def trail_export(user, params: QueryDict) -> Export:
    qs = selectors.trail_for(user, params)
    headers = (
        "序号",
        "时间",
        "类型",
        "调用方",
        "资源代码",
        "信息项",
        "数据范围",
        "查询条件",
        "返回行数",
        "字节数",
        "状态码",
        "耗时（毫秒）",
        "摘要",
    )

    def rows():
        for r in qs.iterator(chunk_size=2000):
            yield (
                r.seq,
                r.at.isoformat(),
                r.get_kind_display(),
                r.caller_label,
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

    return Export(filename="调用日志.xlsx", headers=headers, rows=rows, total=qs.count())
