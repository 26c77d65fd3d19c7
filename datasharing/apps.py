from django.apps import AppConfig


class DatasharingConfig(AppConfig):
    name = "datasharing"
    verbose_name = "数据共享申请"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import kinds

        kinds.register_kind()
