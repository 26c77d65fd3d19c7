"""The admin site: every monitoring model is there, scoped by the vehicle's unit for dispatchers."""

import pytest
from django.urls import reverse

from datahub.models import User
from telematics import services

from .conftest import SQUARE, at, drive

pytestmark = pytest.mark.django_db

MODELS = ("terminal", "position", "calendarday", "geofence", "alertrule", "alert")


def test_every_model_opens_for_a_superuser(client, fleet, upload):
    upload(fleet.token_a, drive(at(2026, 3, 7, 21), 2, speed=130))
    services.save_geofence(actor=fleet.dispatcher_a, org_unit=fleet.car_a.org_unit, name="基地", polygon_text=SQUARE)
    client.force_login(User.objects.get(is_superuser=True))  # made by grant()
    for model in MODELS:
        assert client.get(reverse(f"admin:telematics_{model}_changelist")).status_code == 200, model


def test_dispatcher_sees_only_own_units_terminals_and_alerts_in_the_admin(client, fleet, upload):
    upload(fleet.token_a, drive(at(2026, 3, 7, 21), 2, speed=130))
    upload(fleet.token_b, drive(at(2026, 3, 7, 21), 2, speed=130))
    client.force_login(fleet.dispatcher_a)
    terminals = client.get(reverse("admin:telematics_terminal_changelist")).content.decode()
    assert "T-A-1" in terminals and "T-B-1" not in terminals
    alerts = client.get(reverse("admin:telematics_alert_changelist")).content.decode()
    assert "浙A12345" in alerts and "浙B54321" not in alerts
    assert client.get(reverse("admin:telematics_terminal_change", args=[fleet.term_b.pk])).status_code in (302, 404)


def test_admin_rotate_action_shows_the_new_token_once(client, fleet):
    client.force_login(fleet.dispatcher_a)
    old = fleet.term_a.token_hash
    response = client.post(
        reverse("admin:telematics_terminal_changelist"),
        {"action": "rotate", "_selected_action": [fleet.term_a.pk]},
        follow=True,
    )
    assert "新令牌（只显示这一次）" in response.content.decode()
    fleet.term_a.refresh_from_db()
    assert fleet.term_a.token_hash != old
