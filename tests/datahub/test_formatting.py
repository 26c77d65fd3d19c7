"""Numbers, times and limits as people read them (issue #19): one set of filters for every app."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse

from datahub import formatting
from tests.factories import UserFactory


def test_money_has_separators_two_decimals_and_its_unit():
    assert formatting.money(Decimal("129640.060000000")) == "129,640.06 元"
    assert formatting.money("0.005") == "0.01 元"  # half up, as finance rounds
    assert formatting.money(None) == "—"


def test_quantities_keep_their_unit_and_sensible_decimals():
    assert formatting.with_unit(18, "m²") == "18.00 m²"
    assert formatting.with_unit(Decimal("2100000"), "kWh", 0) == "2,100,000 kWh"


def test_percentages_have_one_decimal():
    assert formatting.percent(Decimal("75.00")) == "75.0%"
    assert formatting.percent(0.12345, ratio=True) == "12.3%"
    assert formatting.percent(None) == "—"


@pytest.mark.parametrize(
    ("hours", "working_days", "text"),
    [(48, None, "48 小时"), (24, None, "24 小时"), (360, None, "15 日"), (120, None, "5 日"), (264, 7, "7 个工作日")],
)
def test_time_limits_read_in_the_unit_people_use(hours, working_days, text):
    assert formatting.time_limit(hours, working_days=working_days) == text


def test_times_read_in_asia_shanghai():
    assert formatting.readable(datetime(2026, 12, 8, 6, 0, tzinfo=UTC)) == "2026-12-08 14:00"
    assert formatting.readable(date(2026, 12, 8)) == "2026-12-08"
    assert formatting.readable(True) == "是"
    assert formatting.readable(Decimal("18.000")) == "18.00"


def test_filters_are_built_into_every_template():
    html = Template("{{ v|money }} {{ a|area }} {{ k|qty:'kWh,0' }} {{ p|pct }} {{ h|time_limit }}").render(
        Context({"v": Decimal("129640.06"), "a": 18, "k": 20500, "p": 12.34, "h": 360})
    )
    assert html == "129,640.06 元 18.00 m² 20,500 kWh 12.3% 15 日"


@pytest.mark.django_db
def test_a_unit_is_named_with_its_parent_when_a_department(tree):
    # A list row passes the parent's name its query read; a unit from with_parent_name carries it itself.
    template = Template("{{ u|unit_path:parent }}|{{ a|unit_path:'浙江省' }}|{{ u|unit_path }}")
    html = template.render(Context({"u": tree.a1, "parent": tree.a.name, "a": tree.a}))
    assert html == f"{tree.a.name} › {tree.a1.name}|{tree.a.name}|{tree.a1.name}"


def test_portal_home_states_limits_in_days_hours_and_working_days(client, people):
    client.force_login(people.clerk_a1)
    html = client.get(reverse("portal:home")).content.decode()
    assert "360 小时" not in html
    assert "承诺 15 日内办结" in html and "承诺 48 小时内办结" in html and "个工作日内办结" in html


def test_403_page_gives_the_reason_the_code_raised(client, db):
    client.force_login(UserFactory())
    response = client.get(reverse("vehicles:vehicle-list"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "您没有查看" in html and "返回首页" in html and "Forbidden" not in html


def test_a_refusal_of_several_messages_reads_as_one_sentence():
    from django.core.exceptions import ValidationError

    from datahub.generic_views import refusal_text

    exc = ValidationError({"vehicle": "该车辆此时段已被预订。", "driver": "驾驶员此时段已有任务。"})
    text = refusal_text(exc)
    assert "。；" not in text and text.endswith("。") and text.count("。") == 1


def test_a_refusal_of_several_messages_reads_as_one_english_sentence():
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from datahub.generic_views import refusal_text

    exc = ValidationError(["The vehicle is booked then.", "The driver has a task then."])
    with translation.override("en"):
        assert refusal_text(exc) == "The vehicle is booked then; The driver has a task then."
