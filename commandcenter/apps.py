from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommandCenterConfig(AppConfig):
    name = "commandcenter"
    verbose_name = _("领导驾驶舱")

    def ready(self):
        from django.db import transaction
        from django.utils.translation import gettext_lazy as _

        from datahub.figures import figures_changed
        from datahub.navigation import LANDINGS, SECTIONS, HomePanel, Landing, Section, register_home_panel
        from datahub.roles import Role
        from datahub.signals import org_unit_moved

        from . import rules, tasks

        def refresh(sender, unit_ids, months, **kwargs):
            # A task, so that with a broker the write that changed the figures does not wait for the roll-up.
            tasks.refresh_units.delay(sorted(unit_ids), sorted(m.isoformat() for m in months))

        figures_changed.connect(refresh, weak=False, dispatch_uid="commandcenter-refresh")

        def moved(sender, unit, old_parent_id, **kwargs):
            # Once the move commits: a rolled-back move leaves the sums as they were.
            ids = sorted({unit.pk, *([old_parent_id] if old_parent_id else [])})
            transaction.on_commit(lambda: tasks.refresh_moved.delay(ids))

        org_unit_moved.connect(moved, weak=False, dispatch_uid="commandcenter-unit-moved")
        if not any(s.url_name == "commandcenter:index" for s in SECTIONS):
            SECTIONS.insert(
                0,
                Section(_("领导驾驶舱"), "commandcenter:index", rules.READERS, _("各领域关键指标、对比与逐级下钻")),
            )
        # Leaders and bureau administrators land on the overview after signing in (#14); everybody else keeps the home page.
        if not any(landing.url_name == "commandcenter:index" for landing in LANDINGS):
            LANDINGS.append(Landing((Role.LEADER, Role.BUREAU_ADMIN), "commandcenter:index"))
        # A leader who opens the home page is pointed back to the overview first.
        register_home_panel(
            HomePanel("commandcenter", (Role.LEADER,), "commandcenter/_home_leader.html", lambda user: {}, order=0)
        )
