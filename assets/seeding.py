"""Reference data a fresh install needs: the GB/T 14885-2022 category tree (from the CSV in
assets/data/), the capitalisation threshold and the 财资〔2016〕27号 configuration standard.

Each loader takes the model classes so the data migration can pass its historical models;
every loader is idempotent (update_or_create by natural key).
"""

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from . import rules

DATA_DIR = Path(__file__).resolve().parent / "data"
YES = {"yes", "y", "true", "1", "是"}


def read_categories(path: Path | None = None) -> list[dict]:
    path = path or DATA_DIR / rules.CATEGORY_DATA_FILE
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    seen: set[str] = set()
    for n, row in enumerate(rows, start=2):
        code = row["code"].strip()
        parent = row["parent_code"].strip()
        if parent and parent not in seen:
            raise ValueError(f"{path.name} 第{n}行：上级分类 {parent} 须在其下级之前列出。")
        seen.add(code)
    return rows


def load_categories(Category=None, path: Path | None = None) -> tuple[int, int]:
    """Create or update every category of the data file (parents first). Returns (created, updated)."""
    if Category is None:  # a migration passes its historical model; otherwise the live one
        from .models import Category
    created = updated = 0
    by_code: dict[str, object] = {}
    for row in read_categories(path):
        code = row["code"].strip()
        parent_code = row["parent_code"].strip()
        parent = by_code.get(parent_code) if parent_code else None
        if parent_code and parent is None:
            parent = Category.objects.get(code=parent_code)
        obj, was_created = Category.objects.update_or_create(
            code=code,
            defaults={
                "name": row["name"].strip(),
                "parent": parent,
                "min_life_months": int(row["min_life_months"] or 0),
                "depreciates": row["depreciates"].strip().lower() in YES,
                # A sub-class of a 专用设备 class is 专用设备 too (it carries the 1,500元 threshold).
                "special_equipment": row.get("special_equipment", "").strip().lower() in YES
                or bool(parent and parent.special_equipment),
                "standard_version": row["standard_version"].strip() or rules.STANDARD_VERSION,
                "note": (row.get("note") or "").strip()[:200],
            },
        )
        by_code[code] = obj
        created += was_created
        updated += not was_created
    return created, updated


def load_thresholds(CapitalisationThreshold=None) -> None:
    if CapitalisationThreshold is None:  # a migration passes its historical model; otherwise the live one
        from .models import CapitalisationThreshold
    CapitalisationThreshold.objects.get_or_create(
        effective_from=date(2019, 1, 1),
        defaults={
            "general": rules.CAPITALISATION_THRESHOLD,
            "special_equipment": rules.CAPITALISATION_THRESHOLD_SPECIAL,
            "source": "政府会计准则第3号（2019年1月1日起施行）；起点金额为常用值，可按本地规定调整",
        },
    )


def load_config_standards(ConfigStandardVersion=None, ConfigStandard=None, Category=None) -> None:
    if ConfigStandardVersion is None:  # a migration passes its historical models; otherwise the live ones
        from .models import Category, ConfigStandard, ConfigStandardVersion
    code, title, effective = rules.CONFIG_STANDARD_VERSION
    version, _ = ConfigStandardVersion.objects.get_or_create(
        code=code, defaults={"title": title, "effective_from": date.fromisoformat(effective)}
    )
    for cat_code, label, cap, life, ratio in rules.CONFIG_STANDARDS:
        category = Category.objects.filter(code=cat_code).first()
        if category is None:
            continue
        ConfigStandard.objects.get_or_create(
            version=version,
            category=category,
            defaults={
                "label": label,
                "price_cap": Decimal(cap),
                "min_life_months": life,
                "quantity_ratio": ratio,
            },
        )


def seed_reference_data() -> None:
    load_categories()
    load_thresholds()
    load_config_standards()
