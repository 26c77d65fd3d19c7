"""The Celery app finds every app's tasks, and every beat entry names one of them."""

from pathlib import Path

from django.apps import apps
from django.conf import settings

from config.celery import app

ROOT = Path(__file__).resolve().parents[2]


def registered() -> set[str]:
    app.loader.import_default_modules()  # what a worker does at start: autodiscover every app's tasks.py
    return set(app.tasks)


def test_every_beat_entry_names_a_registered_task():
    tasks = registered()
    assert {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} - tasks == set()


def test_the_worker_registers_the_tasks_of_every_app_that_has_them():
    tasks = registered()
    with_tasks = {config.label for config in apps.get_app_configs() if (Path(config.path) / "tasks.py").is_file()}
    assert {"datahub", "portal"} <= with_tasks
    assert {label for label in with_tasks if not any(t.startswith(f"{label}.tasks.") for t in tasks)} == set()
