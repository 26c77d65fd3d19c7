"""Alerts and a terminal's refusals read in the reader's language (issue #19): an alert keeps its line as a
message and values, so the same stored alert is Chinese for a zh-hans reader and English for an English
one (the text column stays Chinese); a refused batch names every reason in the request's language, on
either database (the SQL check writes them in PostgreSQL), with the figures and the vehicle as sent."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from telematics.models import Alert, Terminal
from telematics.rules import AlertKind
from telematics.services import terminals_check_offline

from .conftest import at, drive, point

pytestmark = pytest.mark.django_db
ZH, EN = "zh-hans", "en"


def read(language, alert):
    with translation.override(language):
        return alert.shown_detail


def test_an_overspeed_alert_reads_in_the_readers_language(fleet, upload):
    track = drive(at(2026, 3, 2, 10), 6, speed=80)
    track[2]["speed"] = 126
    upload(fleet.token_a, track)
    alert = Alert.objects.get(vehicle=fleet.car_a, kind=AlertKind.OVERSPEED)
    assert alert.detail == "最高126 km/h，限速120 km/h"
    assert read(ZH, alert) == "最高126 km/h，限速120 km/h"
    assert read(EN, alert) == "Top speed 126 km/h, limit 120 km/h"


def test_a_grown_overspeed_alert_names_its_new_top_speed_in_either_language(fleet, upload):
    first = drive(at(2026, 3, 2, 10), 3, speed=125)
    upload(fleet.token_a, first)
    upload(fleet.token_a, drive(at(2026, 3, 2, 10, 3), 2, speed=131))
    alert = Alert.objects.get(vehicle=fleet.car_a, kind=AlertKind.OVERSPEED)
    assert (read(ZH, alert), read(EN, alert)) == ("最高131 km/h，限速120 km/h", "Top speed 131 km/h, limit 120 km/h")


def test_an_offline_alert_names_the_terminal_in_either_language(fleet):
    now = timezone.now()
    Terminal.objects.filter(pk=fleet.term_a.pk).update(last_seen_at=now - timedelta(hours=30))
    terminals_check_offline(now=now)
    alert = Alert.objects.get(vehicle=fleet.car_a, kind=AlertKind.OFFLINE)
    assert read(ZH, alert) == "终端T-A-1已30小时未上报（阈值24小时）"
    assert read(EN, alert) == "Terminal T-A-1 has not reported for 30 hours (threshold 24 hours)"


def test_an_alert_written_before_keeps_its_line_in_either_language(fleet):
    alert = Alert.objects.create(
        vehicle=fleet.car_a, kind=AlertKind.NO_DISPATCH, started_at=timezone.now(), detail="旧说明"
    )
    assert (read(ZH, alert), read(EN, alert)) == ("旧说明", "旧说明")


def test_the_alert_list_shows_the_line_in_english(client, fleet, upload):
    track = drive(at(2026, 3, 2, 10), 4, speed=80)
    track[1]["speed"] = 130
    upload(fleet.token_a, track)
    client.force_login(fleet.dispatcher_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("telematics:alert-list"), {"status": ""}).content.decode()
    assert "Top speed 130 km/h, limit 120 km/h" in html and "最高130" not in html


@pytest.mark.parametrize(
    "language, reason",
    [
        (ZH, "纬度（lat）应在-90到90之间；速度（speed）不能为负数。"),
        (EN, "the Latitude (lat) must be between -90 and 90; the speed (speed) cannot be negative."),
    ],
)
def test_a_terminal_is_told_every_reason_in_its_language(fleet, upload, language, reason):
    bad = point(at(2026, 3, 2, 10), speed=-1, lat=95)
    response = upload(fleet.token_a, [bad], HTTP_COOKIE=f"{settings.LANGUAGE_COOKIE_NAME}={language}")
    assert response.status_code == 400
    assert response.json()["rejected"] == [{"index": 0, "reason": reason}]


def test_a_terminal_told_in_english_sees_the_vehicle_it_sent(fleet, upload):
    bad = point(at(2026, 3, 2, 10), vehicle="浙X00000")
    response = upload(fleet.token_a, [bad], HTTP_COOKIE=f"{settings.LANGUAGE_COOKIE_NAME}=en")
    [rejected] = response.json()["rejected"]
    assert rejected["reason"].startswith('vehicle "浙X00000" is not the vehicle bound to this terminal (')
