"""The GB/T 14885-2022 classification shipped in assets/data/: seeded on a fresh install (data
migration), reloadable (management command, idempotent), 2022 letter-prefixed codes, the
minimum lives of 财会〔2017〕4号, and the classes that are not depreciated."""

import csv

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from assets import rules, seeding
from assets.models import Category, ConfigStandard

pytestmark = pytest.mark.django_db


def file_codes():
    with open(seeding.DATA_DIR / rules.CATEGORY_DATA_FILE, encoding="utf-8") as fh:
        return [r["code"] for r in csv.DictReader(fh)]


def test_tree_and_standard_version(cats):
    desktop = cats["A02010105"]
    assert desktop.parent.code == "A020101" and desktop.parent.parent.parent.code == "A02"
    assert {c.standard_version for c in cats.values()} == {"GB/T 14885-2022"}


@pytest.mark.parametrize(
    ("code", "months"),
    [("A02010105", 72), ("A0202", 72), ("A0203", 96), ("A0501", 180), ("A0101", 360), ("A0205", 120)],
)
def test_minimum_lives_follow_the_2017_table(cats, code, months):
    assert cats[code].min_life_months == months and cats[code].depreciates


@pytest.mark.parametrize("code", ["A03", "A04", "A06"])
def test_relics_books_and_special_flora_fauna_are_not_depreciated(cats, code):
    assert not cats[code].depreciates and cats[code].min_life_months == 0


def test_codes_admit_the_2022_scheme_and_refuse_others():
    Category(code="A02010199", name="x", min_life_months=72).full_clean()
    Category(code="2010000", name="2010版", min_life_months=72).full_clean()  # old 7-digit codes still admitted
    for bad in ("A2", "a0201", "A020", "X-1"):
        with pytest.raises(ValidationError) as err:
            Category(code=bad, name="x", min_life_months=72).full_clean()
        assert "分类代码格式不正确" in err.value.message_dict["code"][0]


def test_reloading_is_idempotent_and_restores_edits(cats):
    Category.objects.filter(code="A0501").update(min_life_months=1)
    call_command("load_asset_categories", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Category.objects.get(code="A0501").min_life_months == 180
    assert Category.objects.count() == len(file_codes())
    assert ConfigStandard.objects.get(category__code="A02010105").price_cap == 5000


def test_a_child_before_its_parent_is_refused(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "code,name,parent_code,min_life_months,depreciates,special_equipment,standard_version,note\n"
        "A9901,子,A99,60,yes,no,GB/T 14885-2022,\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="上级分类"):
        seeding.read_categories(path)


def test_a_sub_class_of_a_special_equipment_class_is_special_equipment_too(cats, tmp_path):
    path = tmp_path / "more.csv"
    path.write_text(
        "code,name,parent_code,min_life_months,depreciates,special_equipment,standard_version,note\n"
        "A02,设备,,60,yes,no,GB/T 14885-2022,\n"
        "A0232,医疗设备,A02,60,yes,yes,GB/T 14885-2022,\n"
        "A023201,医用电子仪器,A0232,60,yes,no,GB/T 14885-2022,\n",
        encoding="utf-8",
    )
    seeding.load_categories(path=path)
    assert Category.objects.get(code="A023201").special_equipment


def test_the_special_equipment_classes_are_seeded_as_such(cats):
    special = {c.code for c in cats.values() if c.special_equipment}
    assert {"A0217", "A0219", "A0220", "A0221", "A0232", "A0234", "A0236"} <= special
    assert not cats["A0201"].special_equipment and not cats["A0210"].special_equipment
