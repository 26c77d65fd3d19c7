"""The classification a fresh install holds, as migration 0004 loaded it: apart from test_categories.py,
whose tests share the categories as the seeding command leaves them (tests/sharing.py)."""

import csv

import pytest

from assets import rules, seeding
from assets.models import Category

pytestmark = pytest.mark.django_db


def file_codes():
    with open(seeding.DATA_DIR / rules.CATEGORY_DATA_FILE, encoding="utf-8") as fh:
        return [r["code"] for r in csv.DictReader(fh)]


def test_fresh_install_has_every_category_of_the_data_file():
    # Loaded by migration 0004 (nothing called here).
    assert set(Category.objects.values_list("code", flat=True)) == set(file_codes())
