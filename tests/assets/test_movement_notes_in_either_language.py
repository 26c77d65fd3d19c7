"""A card's history reads in the reader's language (issue #19): the note the system writes on a movement
(booked in, lent until, disposed of) is kept as its message and values, so the same stored movement is
Chinese for a zh-hans reader and English for an English one; a note a person typed stays as typed, and a
movement written before (no message kept) shows its stored note."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assets import services
from assets.models import Movement, MovementKind
from datahub.models import OrgUnit

from .factories import card

pytestmark = pytest.mark.django_db
ZH, EN = "zh-hans", "en"


def note(language, movement):
    with translation.override(language):
        return movement.shown_note


def test_a_booking_note_reads_in_the_readers_language_and_is_stored_in_chinese(admins, tree, cats):
    booked = Movement.objects.get(asset=card(admins.a, tree.a, cats["A02010105"]), kind=MovementKind.BOOK)
    assert booked.note == "购置入账"
    assert (note(ZH, booked), note(EN, booked)) == ("购置入账", "Booked in (Bought)")


def test_a_lending_note_names_its_date_in_either_language_and_a_typed_one_stays(admins, tree, cats):
    tree.b.kind = OrgUnit.Kind.PUBLIC_INSTITUTION
    tree.b.save()
    until = timezone.localdate() + timedelta(days=10)
    lent = card(admins.b, tree.b, cats["A02010105"])
    services.lend(asset=lent, to_unit_or_party="某学会", until=until, actor=admins.b)
    movement = Movement.objects.get(asset=lent, kind=MovementKind.LEND)
    assert (note(ZH, movement), note(EN, movement)) == (f"至{until:%Y-%m-%d}", f"until {until:%Y-%m-%d}")
    typed = card(admins.b, tree.b, cats["A02010105"])
    services.lend(asset=typed, to_unit_or_party="某学会", until=until, actor=admins.b, note="学术会议借用")
    movement = Movement.objects.get(asset=typed, kind=MovementKind.LEND)
    assert (movement.note_key, note(ZH, movement), note(EN, movement)) == ("", "学术会议借用", "学术会议借用")


def test_a_movement_written_before_keeps_its_note(admins, tree, cats):
    booked = Movement.objects.get(asset=card(admins.a, tree.a, cats["A02010105"]), kind=MovementKind.BOOK)
    Movement.objects.filter(pk=booked.pk).update(note="旧说明", note_key="", note_values={})
    booked.refresh_from_db()
    assert (note(ZH, booked), note(EN, booked)) == ("旧说明", "旧说明")


def test_the_card_page_shows_its_history_in_english(client, admins, tree, cats):
    asset = card(admins.a, tree.a, cats["A02010105"])
    client.force_login(admins.a)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("assets:card-detail", args=[asset.pk])).content.decode()
    assert "Booked in (Bought)" in html and "购置入账" not in html


def test_an_import_update_names_the_changed_columns_in_the_readers_language(admins, cats):
    from assets import imports

    from .test_imports import COLUMNS, GOOD, row

    imports.import_cards(actor=admins.a, rows=[(2, dict(zip(COLUMNS, GOOD[0], strict=True)))])
    changed = row("OLD-0001", name="台式机", **{"规格型号": "X2"})
    imports.import_cards(actor=admins.a, rows=[(2, dict(zip(COLUMNS, changed, strict=True)))])
    movement = Movement.objects.get(asset__asset_number="OLD-0001", kind=MovementKind.IMPORT)
    assert movement.note == "Excel导入更新：资产名称、规格型号"
    assert (note(ZH, movement), note(EN, movement)) == (
        "Excel导入更新：资产名称、规格型号",
        "Updated by Excel import: Asset name, Specification and model",
    )
