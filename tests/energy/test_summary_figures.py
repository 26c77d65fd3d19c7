"""The energy summary and indicators as people read them (issue #19): money and quantities with thousands
separators and two decimals, percentages with one, the energy types no unit uses left off the page (it
was 2,881 px wide), and the Excel export keeping every column with the exact numbers as numbers."""

import io
import re
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from openpyxl import load_workbook

from energy import exporters
from energy.models import ConsumptionRecord
from tests.sharing import shared_fixture

from .factories import full_year, profile

pytestmark = pytest.mark.django_db
FIGURE = re.compile(r"^(—|-?\d{1,3}(,\d{3})*(\.\d{2})?)$")


def build_data(energy_people, tree):
    """Every test here reads the same year: built once per module (tests/sharing.py)."""
    for unit, kwh in ((tree.a, 10803), (tree.b, 987)):
        profile(unit, 2025)
        full_year(unit, 2025, kwh=kwh, price="1.2347")
    return tree


shared_data, data = shared_fixture("data", build_data)


def test_the_summary_reads_money_and_quantities_with_separators_and_two_decimals(client, data, energy_people):
    client.force_login(energy_people.leader)
    page = client.get(reverse("energy:summary"), {"year": 2025, "by": "department"})
    headers, rows = page.context["headers"], page.context["rows"]
    a = next(row for row in rows if row[0] == data.a.name)
    cost = ConsumptionRecord.objects.filter(org_unit=data.a, year=2025).aggregate(s=Sum("cost"))["s"]
    kwh = Decimal(10803 * 12)
    assert a[headers.index("金额合计（元）")] == f"{cost:,.2f}" and "," in f"{cost:,.2f}"
    assert a[headers.index("电（kWh）")] == f"{kwh:,.2f}" == "129,636.00"
    assert all(FIGURE.match(cell) for row in rows for cell in row[1:]), rows
    body = page.content.decode()
    assert f"<td>{cost:,.2f}</td>" in body


def test_the_summary_page_leaves_off_the_energy_types_nobody_uses_and_the_export_keeps_them(
    client, data, energy_people
):
    client.force_login(energy_people.leader)
    page = client.get(reverse("energy:summary"), {"year": 2025, "by": "department"})
    assert "电（kWh）" in page.context["headers"] and "煤炭（kg）" not in page.context["headers"]
    assert all(len(row) == len(page.context["headers"]) for row in page.context["rows"])
    export = client.get(reverse("energy:summary"), {"year": 2025, "by": "department", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert list(header) == exporters.SUMMARY_HEADERS
    cost = rows[0][header.index("金额合计（元）")]
    assert isinstance(cost, int | float) and not isinstance(cost, bool)  # a number Excel can sum, not text


def test_the_indicators_read_with_two_decimals_and_percentages_with_one(client, data, energy_people):
    full_year(data.a, 2024, kwh=9000, price="1.2347")
    profile(data.a, 2024)
    client.force_login(energy_people.leader)
    body = client.get(reverse("energy:home"), {"year": 2025}).content.decode()
    stats = re.findall(r'<div class="stat"><b>([^<]*)</b>', body)
    assert stats and all(FIGURE.match(s) for s in stats), stats
    assert re.search(r"同比 -?\d+\.\d%", body)  # one decimal, never 20.03%
    assert not re.search(r"\d\.\d{3,}", re.sub(r"<svg.*?</svg>", "", body, flags=re.S))
