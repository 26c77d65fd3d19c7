"""Ingestion: token authentication, validation (all or nothing), idempotency."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from datahub.auth.services import issue_api_token
from telematics import services
from telematics.models import Alert, Position, Terminal

from .conftest import at, drive, point

pytestmark = pytest.mark.django_db


def test_batch_stored_and_counted(fleet, upload):
    response = upload(fleet.token_a, drive(at(2026, 3, 2, 10), 9))
    assert response.status_code == 201, response.json()
    assert response.json()["stored"] == 10
    assert response.json()["duplicates"] == 0
    assert Position.objects.filter(vehicle=fleet.car_a).count() == 10
    fleet.term_a.refresh_from_db()
    assert fleet.term_a.last_position_at == at(2026, 3, 2, 10, 9)
    assert fleet.term_a.last_seen_at is not None


def test_same_batch_twice_second_is_all_duplicates_and_raises_no_new_alert(fleet, upload):
    # Saturday evening at 130 km/h without a dispatch: several rules fire on the first upload.
    batch = drive(at(2026, 3, 7, 21), 10, speed=130)
    first = upload(fleet.token_a, batch).json()
    alerts = list(Alert.objects.order_by("pk").values_list("pk", "kind", "point_count", "started_at", "ended_at"))
    assert first["stored"] == 11 and first["alerts_created"] >= 3

    second = upload(fleet.token_a, batch)
    assert second.status_code == 201
    assert second.json() == {"received": 11, "stored": 0, "duplicates": 11, "alerts_created": 0, "alerts_extended": 0}
    assert Position.objects.count() == 11
    assert (
        list(Alert.objects.order_by("pk").values_list("pk", "kind", "point_count", "started_at", "ended_at")) == alerts
    )


def test_points_repeated_within_a_batch_are_duplicates(fleet, upload):
    p = point(at(2026, 3, 2, 10))
    body = upload(fleet.token_a, [p, p, point(at(2026, 3, 2, 10, 1))]).json()
    assert (body["stored"], body["duplicates"]) == (2, 1)


def test_unix_seconds_and_naive_beijing_time_accepted(fleet, upload):
    moment = at(2026, 3, 2, 10)
    naive = point(at(2026, 3, 2, 10, 1))
    naive["time"] = "2026-03-02T10:01:00"
    response = upload(fleet.token_a, [{**point(moment), "time": int(moment.timestamp())}, naive])
    assert response.status_code == 201, response.json()
    assert set(Position.objects.values_list("time", flat=True)) == {moment, at(2026, 3, 2, 10, 1)}


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ({"lat": 91}, "纬度（lat）应在-90到90之间"),
        ({"lat": -90.5}, "纬度（lat）应在-90到90之间"),
        ({"lon": 180.01}, "经度（lon）应在-180到180之间"),
        ({"lon": "东经120"}, "经度（lon）缺失或不是数字"),
        ({"lat": None}, "纬度（lat）缺失或不是数字"),
        ({"speed": -1}, "速度（speed）不能为负数"),
        ({"speed": 251}, "速度（speed）超过250 km/h，不可信"),
        ({"speed": "fast"}, "速度（speed）不是数字"),
        ({"time": "昨天"}, "定位时间（time）格式不正确"),
        ({"time": None}, "缺少定位时间（time）"),
        ({"ignition": "yes"}, "点火状态（ignition）应为 true 或 false"),
        ({"vehicle": "浙B54321"}, "不是本终端绑定的车辆"),
    ],
)
def test_bad_point_rejects_the_whole_batch_with_its_index_and_reason(fleet, upload, bad, reason):
    batch = drive(at(2026, 3, 7, 21), 4, speed=130)
    batch[3] = {**batch[3], **bad}
    response = upload(fleet.token_a, batch)
    assert response.status_code == 400
    body = response.json()
    assert [r["index"] for r in body["rejected"]] == [3]
    assert reason in body["rejected"][0]["reason"]
    assert "本批未写入" in body["detail"]
    assert body["fields"]["points"][0].startswith("第3个点：")
    assert not Position.objects.exists()
    assert not Alert.objects.exists()
    fleet.term_a.refresh_from_db()
    assert fleet.term_a.last_seen_at is None


def test_time_in_the_future_beyond_clock_skew_rejected_within_it_accepted(fleet, upload):
    now = timezone.now()
    ok = upload(fleet.token_a, [point(now + timedelta(minutes=4))])
    assert ok.status_code == 201
    late = upload(fleet.token_a, [point(now + timedelta(minutes=6))])
    assert late.status_code == 400
    assert "晚于当前时间" in late.json()["rejected"][0]["reason"]


def test_every_bad_point_is_listed(fleet, upload):
    batch = drive(at(2026, 3, 2, 10), 5)
    batch[1]["lat"] = 100
    batch[4]["speed"] = -3
    body = upload(fleet.token_a, batch).json()
    assert [r["index"] for r in body["rejected"]] == [1, 4]


def test_terminal_cannot_post_for_another_vehicle(fleet, upload):
    by_id = upload(fleet.token_a, [point(at(2026, 3, 2, 10), vehicle=fleet.car_b.pk)])
    assert by_id.status_code == 400
    assert "不是本终端绑定的车辆" in by_id.json()["rejected"][0]["reason"]
    own = upload(fleet.token_a, [point(at(2026, 3, 2, 10), vehicle=fleet.car_a.pk)])
    assert own.status_code == 201
    assert not Position.objects.filter(vehicle=fleet.car_b).exists()


def test_batch_over_the_limit_or_empty_refused(fleet, upload):
    too_many = upload(fleet.token_a, drive(at(2026, 3, 1, 0), 5000))
    assert too_many.status_code == 400
    assert "每批最多5000个定位点" in too_many.json()["detail"]
    empty = upload(fleet.token_a, [])
    assert empty.status_code == 400
    assert not Position.objects.exists()


def test_missing_or_wrong_token_refused(fleet, upload):
    client = APIClient()
    missing = client.post("/api/v1/telematics/positions/", {"points": [point(at(2026, 3, 2, 10))]}, format="json")
    assert missing.status_code == 401
    wrong = upload("not-a-token", [point(at(2026, 3, 2, 10))])
    assert wrong.status_code == 401
    assert "终端令牌无效" in wrong.json()["detail"]
    malformed = client.post(
        "/api/v1/telematics/positions/", {"points": []}, format="json", HTTP_AUTHORIZATION="Terminal a b"
    )
    assert malformed.status_code == 401
    assert not Position.objects.exists()


def test_a_persons_api_token_is_not_a_terminal(fleet):
    _, token = issue_api_token(user=fleet.dispatcher_a)
    client = APIClient()
    response = client.post(
        "/api/v1/telematics/positions/",
        {"points": [point(at(2026, 3, 2, 10))]},
        format="json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert response.status_code in (401, 403)
    assert not Position.objects.exists()


def test_rotated_token_replaces_the_old_one(fleet, upload):
    new = services.rotate_token(actor=fleet.dispatcher_a, terminal=fleet.term_a)
    assert upload(fleet.token_a, [point(at(2026, 3, 2, 10))]).status_code == 401
    assert upload(new, [point(at(2026, 3, 2, 10))]).status_code == 201


def test_deactivated_terminal_refused(fleet, upload):
    Terminal.objects.filter(pk=fleet.term_a.pk).update(is_active=False)
    assert upload(fleet.token_a, [point(at(2026, 3, 2, 10))]).status_code == 401


def test_only_the_hash_of_the_token_is_stored(fleet):
    fleet.term_a.refresh_from_db()
    assert fleet.token_a not in fleet.term_a.token_hash
    assert fleet.term_a.token_hash == services.hash_token(fleet.token_a)
    assert fleet.term_a.token_prefix == fleet.token_a[:8]


def test_buffered_older_points_do_not_move_the_last_position_back(fleet, upload):
    upload(fleet.token_a, drive(at(2026, 3, 2, 12), 2))
    upload(fleet.token_a, drive(at(2026, 3, 2, 9), 2))  # sent late, after the terminal was out of coverage
    fleet.term_a.refresh_from_db()
    assert fleet.term_a.last_position_at == at(2026, 3, 2, 12, 2)
    assert Position.objects.count() == 6
