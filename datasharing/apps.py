from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatasharingConfig(AppConfig):
    name = "datasharing"
    verbose_name = _("数据共享申请")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import kinds

        kinds.register_kind()
