"""The energy indicators are a catalog dataset (issue #13: "energy monthly figures and indicators"): the figures
of the reports the level above approved, served by the exchange; a report still in review is not published."""

from decimal import Decimal

from rest_framework.test import APIClient

from datahub.catalog import services as catalog
from datahub.models import Dataset
from energy import services
from energy.models import Submission
from portal import services as portal
from tests.catalog_factories import access_token, share, system

from .factories import full_year, profile


def test_approved_reports_indicators_are_served_and_one_in_review_is_not(energy_people, tree):
    for year in (2024, 2025):
        profile(tree.b, year, area="1000", users=100)
        full_year(tree.b, year)
    approved = services.submit(
        actor=energy_people.reporter_b, org_unit=tree.b, period=services.period_of(year=2025, quarter=1)
    )
    ticket = approved.ticket
    portal.decide(
        actor=energy_people.reviewer, ticket=ticket, step_id=ticket.current_step_id, decision="approved", comment="同意"
    )
    services.submit(actor=energy_people.reporter_b, org_unit=tree.b, period=services.period_of(year=2025, quarter=2))
    approved = Submission.objects.get(pk=approved.pk)

    catalog.catalog_sync()
    dataset = Dataset.objects.get(declaration_key="energy.indicators")
    assert (dataset.code, dataset.status, dataset.related_codes) == ("2-03-001.0002", "published", "2-03-001.0001")
    assert dataset.items.get(name="energy_per_m2").data_type == "数值型"
    app = system(energy_people.admin_a)
    share(dataset, actor=energy_people.admin_a, consumer_unit=tree.a, application=app, row_scope="all")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token(app)}")
    response = client.get(f"/api/exchange/v1/{dataset.code}/")
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert [(r["org_unit_code"], r["year"], r["quarter"], r["version"]) for r in rows] == [(tree.b.code, 2025, 1, 1)]
    # The snapshot keeps decimals as strings; SQLite's JSON extraction hands them back as numbers.
    assert approved.figures["energy_per_m2"] is not None
    for name in ("energy_per_m2", "kgce"):
        assert Decimal(str(rows[0][name])) == Decimal(approved.figures[name])
