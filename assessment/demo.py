"""Demo assessment for `manage.py seed_demo` (idempotent): a made-up but plausible dataset of
29 provincial regions, clearly labelled 演示数据.

The regions live under their own root 「演示数据：省级区域样本」 (unit codes ``QCA-DEMO-…``),
apart from the real demo directory (浙江省…), so nobody mistakes them for agencies. Nothing
here is a measured figure: the values are generated from a rough regional ordering with a
fixed pseudo-random jitter, then
imported through the same service an analyst uses (``services.import_values``);
府际竞争压力 is computed from the shipped adjacency table; the round is scored and one
fsQCA analysis is stored.
"""

import hashlib
import io

from django.db import transaction

from datahub import services as directory
from datahub.models import OrgUnit, User

from . import rules, services
from .models import Round

ROOT_CODE = "QCA-DEMO"
ROUND_NAME = "省级机关事务数字化转型（演示数据）"
YEAR = 2025

# Province code → a rough "digital capacity" between 0 and 1 (made up for the demo).
CAPACITY = {
    "11": 0.92, "12": 0.70, "13": 0.48, "14": 0.40, "15": 0.35, "21": 0.45, "22": 0.38, "23": 0.33,
    "31": 0.95, "32": 0.85, "33": 0.97, "34": 0.66, "35": 0.72, "36": 0.52, "37": 0.74, "41": 0.55,
    "42": 0.62, "43": 0.54, "44": 0.93, "45": 0.42, "46": 0.44, "50": 0.63, "51": 0.64, "52": 0.58,
    "53": 0.41, "61": 0.50, "62": 0.30, "63": 0.25, "64": 0.32,
}  # fmt: skip


def _jitter(key: str) -> float:
    """A fixed pseudo-random number in [−1, 1] (the same on every run)."""
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF * 2 - 1


def dataset() -> list[dict]:
    """One row per region: code, name and the indicators T1, T2, O1, O2, E1, Y."""
    names = rules.province_names()
    rows = []
    for code, cap in CAPACITY.items():
        j = lambda k, c=code: _jitter(f"{c}-{k}")  # noqa: E731
        t1 = min(98.0, 45 + 50 * cap + 6 * j("t1"))
        t2 = min(97.0, max(20.0, 25 + 65 * cap + 12 * j("t2")))
        o1 = max(8.0, 20 + 45 * (0.5 * cap + 0.5 * (0.5 + 0.5 * j("o1"))))
        o2 = max(0.6, 1.0 + 4.5 * cap + 0.8 * j("o2"))
        e1 = max(2, round(4 + 10 * (0.4 * cap + 0.6 * (0.5 + 0.5 * j("e1")))))
        rows.append({"code": code, "name": names[code], "T1": t1, "T2": t2, "O1": o1, "O2": o2, "E1": e1, "cap": cap})
    # The outcome: high where technology is strong on both counts, or where strong pressure meets attention.
    t1s = sorted(r["T1"] for r in rows)
    e1s = sorted(r["E1"] for r in rows)
    o1s = sorted(r["O1"] for r in rows)
    t2s = sorted(r["T2"] for r in rows)

    def pct(values, v):
        return values.index(v) / (len(values) - 1)

    for r in rows:
        tech = min(pct(t1s, r["T1"]), pct(t2s, r["T2"]))
        pressure = min(pct(e1s, r["E1"]), pct(o1s, r["O1"]))
        r["Y"] = max(15.0, min(98.0, 30 + 60 * max(tech, pressure) + 5 * _jitter(f"{r['code']}-y")))
    return rows


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
    for code, name in ((c, rules.province_names()[c]) for c in CAPACITY):
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
    rows = dataset()
    out = io.StringIO()
    out.write("单位编码,单位名称,T1,T2,O1,O2,E1,Y\n")
    for r in rows:
        out.write(
            f"{ROOT_CODE}-{r['code']},{r['name']},{r['T1']:.2f},{r['T2']:.2f},{r['O1']:.2f},{r['O2']:.2f},{r['E1']},{r['Y']:.2f}\n"
        )
    services.import_values(
        actor=actor, round_=round_, file=io.BytesIO(out.getvalue().encode()), filename="演示数据.csv"
    )
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
