"""Energy pages that enter a year's data (the month sheet, the profile form): each starts from an empty
year, so they live apart from test_pages.py, whose tests share one year of records."""

from django.urls import reverse

from energy.models import ConsumptionRecord, InstitutionProfile


def test_month_sheet_saves_all_types_and_shows_errors(client_for, energy_people, tree):
    c = client_for(energy_people.reporter_a)
    url = reverse("energy:sheet", args=[tree.a.pk, 2025, 5])
    post = {
        "electricity-quantity": "2000",
        "electricity-unit": "kWh",
        "electricity-cost": "1600",
        "electricity-collection": "metered_paid",
    }
    for code in ("water", "coal", "natural_gas", "lpg", "town_gas", "gasoline", "diesel", "kerosene", "heat", "other"):
        from energy.rules import BASE_UNIT

        post.update(
            {
                f"{code}-quantity": "",
                f"{code}-unit": BASE_UNIT[code],
                f"{code}-cost": "",
                f"{code}-collection": "metered_paid",
            }
        )
    post["heat-quantity"] = "-1"
    r = c.post(url, post)
    assert r.status_code == 200 and "不能为负数" in r.content.decode()
    assert not ConsumptionRecord.objects.exists()
    post["heat-quantity"] = "3"
    post["heat-unit"] = "GJ"
    r = c.post(url, post)
    assert r.status_code == 302
    assert set(ConsumptionRecord.objects.values_list("energy_type", flat=True)) == {"electricity", "heat"}


def test_profile_form_page_reads_officespace_area(client_for, staff, energy_people, tree):
    from decimal import Decimal

    from officespace import services as space

    space.create_building(
        actor=staff.space_a,
        code="A-9",
        name="甲楼",
        address="某路",
        org_unit=tree.a,
        building_area=Decimal("2400"),
        use_area=Decimal("1800"),
    )
    c = client_for(energy_people.reporter_a)
    url = reverse("energy:profile-form", args=[tree.a.pk, 2025])
    assert "2400" in c.get(url).content.decode()
    r = c.post(url, {"heated_area": "0", "building_area": "9999", "category": "hospital"})  # typed: ignored
    assert r.status_code == 302
    p = InstitutionProfile.objects.get(org_unit=tree.a, year=2025)
    assert (p.building_area, p.category) == (Decimal("2400"), "agency")
    assert c.get(reverse("energy:profile-form", args=[tree.b.pk, 2025])).status_code == 404
