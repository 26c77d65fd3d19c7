"""The assessment admin: scores and values scoped to the administrator's subtree, read-only."""

from django.urls import reverse

from assessment import services


def test_an_agency_administrator_sees_only_its_own_scores_in_the_admin(client, entered, bureau, people):
    services.score_round(actor=bureau, round_=entered.round)
    client.force_login(people.admin_a)
    html = client.get(reverse("admin:assessment_score_changelist")).content.decode()
    assert "甲厅" in html and "乙厅" not in html and "丙厅" not in html


def test_values_in_the_admin_are_scoped_and_read_only(client, entered, people):
    client.force_login(people.admin_a)
    html = client.get(reverse("admin:assessment_indicatorvalue_changelist")).content.decode()
    assert "甲厅" in html and "乙厅" not in html
    assert client.get(reverse("admin:assessment_indicatorvalue_add")).status_code == 403


def test_the_bureau_sees_every_score_in_the_admin(client, entered, bureau):
    services.score_round(actor=bureau, round_=entered.round)
    client.force_login(bureau)
    html = client.get(reverse("admin:assessment_score_changelist")).content.decode()
    assert all(name in html for name in ("甲厅", "乙厅", "丙厅"))
