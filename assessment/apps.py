from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("成熟度评估")

    def ready(self):
        from django.conf import settings

        from datahub.jobs import register_job_model
        from datahub.navigation import SECTIONS, Section
        from datahub.roles import Role, add_group_permissions

        from . import exporters, qca, selectors  # noqa: F401  (exporters registers the round's score export)
        from .models import AnalysisJob
        from .tasks import run_analysis_job

        # the engine is a library that reads no settings: the project hands it its time limit
        qca.set_default_time_limit(getattr(settings, "QCA_TIME_LIMIT_SECONDS", qca.DEFAULT_TIME_LIMIT))
        register_job_model(AnalysisJob, run_analysis_job)

        readable = tuple(
            f"assessment.view_{m}" for m in ("framework", "indicator", "round", "indicatorvalue", "score", "analysis")
        )
        add_group_permissions(Role.LEADER, *readable)
        add_group_permissions(Role.DATA_STEWARD, *readable, "assessment.change_indicatorvalue")
        add_group_permissions(
            Role.BUREAU_ADMIN,
            *readable,
            "assessment.add_framework",
            "assessment.change_framework",
            "assessment.add_indicator",
            "assessment.change_indicator",
            "assessment.add_round",
            "assessment.change_round",
            "assessment.change_indicatorvalue",
        )
        section = Section(
            _("成熟度评估"),
            "assessment:home",
            selectors.READERS,
            _("TOE指标填报、成熟度指数与等级、fsQCA组态分析"),
        )
        before = next((i for i, s in enumerate(SECTIONS) if s.url_name == "admin:index"), len(SECTIONS))
        SECTIONS.insert(before, section)
