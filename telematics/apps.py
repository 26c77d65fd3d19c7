from django.apps import AppConfig


class TelematicsConfig(AppConfig):
    """北斗/GPS monitoring of the official vehicles: terminals, positions, alert rules, alerts."""

    name = "telematics"
    verbose_name = "公务用车监控"
