"""A 100× spike is warned about on the entry sheet, as the review's anomaly rule flags it later (issue #19,
bug 3): nothing is saved until the reporter confirms the figure; an ordinary month saves at once."""

import pytest
from django.urls import reverse

from energy.models import ConsumptionRecord
from energy.rules import BASE_UNIT

from .factories import full_year

pytestmark = pytest.mark.django_db


def _sheet(kwh: str, **extra) -> dict:
    post = {}
    for code, unit in BASE_UNIT.items():
        post.update(
            {f"{code}-quantity": "", f"{code}-unit": unit, f"{code}-cost": "", f"{code}-collection": "metered_paid"}
        )
    post.update({"electricity-quantity": kwh, "electricity-unit": "kWh", "electricity-cost": "1600", **extra})
    return post


def test_a_hundredfold_spike_is_warned_at_entry_and_saved_only_when_confirmed(client, energy_people, tree):
    full_year(tree.a, 2025, kwh=20000)
    client.force_login(energy_people.reporter_a)
    url = reverse("energy:sheet", args=[tree.a.pk, 2026, 1])
    response = client.post(url, _sheet("2100000"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "数值异常" in html and 'name="confirm_unusual"' in html
    assert not ConsumptionRecord.objects.filter(org_unit=tree.a, year=2026).exists()
    response = client.post(url, _sheet("2100000", confirm_unusual="1"))
    assert response.status_code == 302
    assert (
        ConsumptionRecord.objects.get(org_unit=tree.a, year=2026, month=1, energy_type="electricity").quantity
        == 2100000
    )


def test_an_ordinary_month_saves_without_a_warning(client, energy_people, tree):
    full_year(tree.a, 2025, kwh=20000)
    client.force_login(energy_people.reporter_a)
    response = client.post(reverse("energy:sheet", args=[tree.a.pk, 2026, 1]), _sheet("21000"))
    assert response.status_code == 302
    assert ConsumptionRecord.objects.filter(org_unit=tree.a, year=2026, month=1).count() == 1
