"""Demo assessment for `manage.py seed_demo` (idempotent): a made-up but plausible dataset of
29 provincial regions, clearly labelled 演示数据.

The regions live under their own root 「演示数据：省级区域样本」 (unit codes ``QCA-DEMO-…``),
apart from the real demo directory (浙江省…), so nobody mistakes them for agencies. Nothing
here is a measured figure: each region is given a made-up archetype (technology-led,
pressure-led, balanced, lagging) and values around it with a fixed pseudo-random jitter, so the
analysis finds the study's three kinds of path; the values are then imported through the same service an analyst uses (``imports.import_values``);
府际竞争压力 is computed from the shipped adjacency table; the round is scored and one
fsQCA analysis is stored.
"""

import hashlib
import io

from django.db import transaction

from datahub import services as directory
from datahub.models import OrgUnit, User

from . import imports, rules, services
from .models import Round

ROOT_CODE = "QCA-DEMO"
ROUND_NAME = "省级机关事务数字化转型（演示数据）"
YEAR = 2025

# Made-up archetypes (not measurements): which regions the demo treats as technology-led,
# pressure-led, balanced ("synergy") or lagging, and each archetype's level of T1, T2, O1, O2, E1
# and the outcome Y on a 0–1 scale. 府际竞争压力 (E2) is then computed from the neighbours' T1.
GROUPS = {
    "technology": ("11", "33", "44", "51", "61", "37"),
    "pressure": ("34", "36", "41", "43", "13", "12"),
    "synergy": ("31", "32", "35", "50", "52", "42"),
    "low": ("14", "15", "21", "22", "23", "45", "46", "53", "62", "63", "64"),
}
PROFILE = {
    "technology": (0.92, 0.92, 0.30, 0.30, 0.30, 0.85),
    "pressure": (0.35, 0.30, 0.80, 0.35, 0.85, 0.75),
    "synergy": (0.75, 0.50, 0.75, 0.80, 0.55, 0.80),
    "low": (0.30, 0.30, 0.30, 0.30, 0.35, 0.30),
}


def _jitter(key: str) -> float:
    """A fixed pseudo-random number in [−1, 1] (the same on every run)."""
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF * 2 - 1


def dataset() -> list[dict]:
    """One row per region (29: the mainland provinces without 西藏 and 新疆): code, name, T1, T2, O1, O2, E1, Y."""
    names = rules.province_names()
    rows = []
    for group, codes in GROUPS.items():
        for code in codes:
            lv = [min(1.0, max(0.0, p + 0.1 * _jitter(f"{code}-{i}"))) for i, p in enumerate(PROFILE[group])]
            rows.append(
                {
                    "code": code,
                    "name": names[code],
                    "group": group,
                    "T1": 40 + 55 * lv[0],  # 数字政府发展指数
                    "T2": 20 + 75 * lv[1],  # 网上办结比例 %
                    "O1": 10 + 60 * lv[2],  # 词频 / 万字
                    "O2": 0.8 + 5 * lv[3],  # 支出占比 %
                    "E1": round(2 + 14 * lv[4]),  # 上级文件数
                    "Y": 20 + 75 * lv[5],  # 转型质量
                }
            )
    return sorted(rows, key=lambda r: r["code"])


def _units(actor) -> dict[str, OrgUnit]:
    root = OrgUnit.objects.filter(code=ROOT_CODE).first()
    if root is None:
        root = directory.create_org_unit(
            actor=actor,
            parent=None,
            code=ROOT_CODE,
            name="演示数据：省级区域样本（29个）",
            level="region",
            region_code="100000",
        )
    units = {u.code: u for u in OrgUnit.objects.filter(code__startswith=f"{ROOT_CODE}-")}
    for code, name in sorted((c, rules.province_names()[c]) for codes in GROUPS.values() for c in codes):
        unit_code = f"{ROOT_CODE}-{code}"
        if unit_code not in units:
            root.refresh_from_db()
            units[unit_code] = directory.create_org_unit(
                actor=actor,
                parent=root,
                code=unit_code,
                name=f"{name}（演示）",
                level="region",
                region_code=f"{code}0000",
            )
    return {"root": root, **units}


@transaction.atomic
def _let_demo_readers_in(actor, root) -> None:
    """The demo leader and data steward read the demo regions, as they would their real province."""
    from datahub import services as directory
    from datahub.roles import Role

    for username, role in (("chenming", Role.LEADER), ("zhengyu", Role.DATA_STEWARD)):
        person = User.objects.filter(username=username).first()
        if person is not None:
            directory.grant_role(actor=actor, user=person, role=role, unit=root)


def seed(stdout) -> Round | None:
    if Round.objects.filter(name=ROUND_NAME, year=YEAR, is_demo=True).exists():
        return None
    actor = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if actor is None:
        stdout.write("演示评估：没有超级用户，跳过。")
        return None
    framework = services.ensure_default_framework()
    units = _units(actor)
    round_ = services.create_round(
        actor=actor,
        name=ROUND_NAME,
        year=YEAR,
        framework=framework,
        org_unit=units["root"],
        case_level=OrgUnit.Level.REGION,
        is_demo=True,
        note="演示数据：数值为虚构，仅用于展示评估与组态分析的功能。",
    )
    _let_demo_readers_in(actor, units["root"])
    rows = dataset()
    out = io.StringIO()
    out.write("单位编码,单位名称,T1,T2,O1,O2,E1,Y\n")
    for r in rows:
        out.write(
            f"{ROOT_CODE}-{r['code']},{r['name']},{r['T1']:.2f},{r['T2']:.2f},{r['O1']:.2f},{r['O2']:.2f},{r['E1']},{r['Y']:.2f}\n"
        )
    imports.import_values(actor=actor, round_=round_, file=io.BytesIO(out.getvalue().encode()), filename="演示数据.csv")
    services.compute_platform_indicators(actor=actor, round_=round_)
    scored = services.score_round(actor=actor, round_=round_)
    message = f"演示评估：{len(rows)} 个省级区域（演示数据），已计分 {scored.scored} 个"
    try:
        analysis = services.run_analysis(
            actor=actor,
            round_=round_,
            name="转型质量的组态路径（演示）",
            outcome="Y",
            conditions=["T1", "T2", "O1", "O2", "E1", "E2"],
        )
    except Exception as exc:  # the demo must never stop the seeding
        stdout.write(f"{message}；组态分析未完成：{exc}")
        return round_
    stdout.write(f"{message}；组态分析得到 {len(analysis.result['paths'])} 条路径。")
    return round_
