"""The energy section's tabs (drawn by datahub's {% section_tabs "energy" %})."""

from django.utils.translation import gettext_lazy as _

from datahub.navigation import Tab

TABS = (
    Tab("home", "energy:home", _("指标概览")),
    Tab("institutions", "energy:institution-list", _("公共机构")),
    Tab("records", "energy:record-list", _("消费记录")),
    Tab("submissions", "energy:submission-list", _("报送审核")),
    Tab("summary", "energy:summary", _("汇总表")),
    Tab("anomalies", "energy:anomalies", _("异常监测")),
    Tab("coefficients", "energy:coefficients", _("系数与定额")),
)
