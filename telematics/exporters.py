"""The monitoring Excel exports, registered with datahub.exports: small ones download at once,
large ones (a year of alerts of a province) run as a background job with progress."""

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from datahub import scoping
from datahub.exports import Export, exporter
from datahub.params import as_date, as_id

from . import selectors
from .models import Alert

ALERT_HEADERS = [
    gettext_lazy("车牌号"),
    gettext_lazy("所属单位"),
    gettext_lazy("告警类型"),
    gettext_lazy("开始时间"),
    gettext_lazy("结束时间"),
    gettext_lazy("违规点数"),
    gettext_lazy("最高速度"),
    gettext_lazy("说明"),
    gettext_lazy("状态"),
    gettext_lazy("处理人"),
    gettext_lazy("处理时间"),
    gettext_lazy("处理意见"),
]


def alerts_queryset(user, params: QueryDict):
    unit = None
    pk = as_id(params.get("unit"))
    if pk:
        unit = scoping.visible_units(user, roles=selectors.MONITOR_READERS).filter(pk=pk).first()
        if unit is None:
            return Alert.objects.none()
    # As on the page: without a status parameter the list shows the open alerts.
    status = params.get("status", Alert.Status.OPEN)
    return selectors.alerts_for(
        user,
        kind=params.get("kind", ""),
        status=status,
        unit=unit,
        search=params.get("q", "").strip(),
        since=as_date(params.get("since")),
        until=as_date(params.get("until")),
    )


def _when(moment, fmt="%Y-%m-%d %H:%M:%S"):
    return timezone.localtime(moment).strftime(fmt) if moment else ""


@exporter("telematics.alerts")
def alerts_export(user, params: QueryDict) -> Export:
    qs = alerts_queryset(user, params)

    def rows():
        for a in qs.iterator(chunk_size=2000):
            yield (
                a.vehicle.plate,
                a.vehicle.org_unit.name,
                a.get_kind_display(),
                _when(a.started_at),
                _when(a.ended_at),
                a.point_count,
                a.max_speed,
                a.shown_detail,
                a.get_status_display(),
                a.acknowledged_by.name if a.acknowledged_by else "",
                _when(a.acknowledged_at, "%Y-%m-%d %H:%M"),
                a.comment,
            )

    return Export(_("监控告警.xlsx"), ALERT_HEADERS, rows, qs.count())
