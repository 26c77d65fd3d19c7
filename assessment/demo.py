"""Demo assessment for `manage.py seed_demo` (idempotent): the study's sample of 29 provincial
regions (REFERENCE §6.1: the 31 mainland regions without 青海 and 西藏; 新疆 included), with
made-up values clearly labelled 演示数据.

The regions are *study cases* (``StudyCase``, codes ``11`` … ``65``) owned by the demo province
``ZJ`` (else the first top-level unit) — not org units: they never appear in the directory, a unit
filter or the command center. The round is an external round of that unit, read by its bureau
administrator, leader and data steward. Nothing here is a measured figure. Each region is given a
pattern — per condition high (1), low (0) or exactly the sample median (½: such a case lies in
no truth-table row, as in QCA), and a high (S) or low (L) outcome — and values around it with a
fixed pseudo-random jitter. The patterns were chosen so that the study's design (quantile
calibration 5/50/95, consistency 0.8, every condition expected present) finds the study's three
paths with its typical cases: 技术驱动型 (四川, 广东, 贵州), 压力驱动型 (山西) and 协同共生型
(北京, 浙江). 府际竞争压力 is computed by the platform from the neighbours' outcome (adjacency
method); the values are imported through the same service an analyst uses
(``imports.import_values``); the round is scored and one fsQCA analysis is stored.
"""

import hashlib
import io

from datahub.models import OrgUnit, User

from . import imports, rules, services
from .models import Round, StudyCase

OWNER_CODE = "ZJ"
ROUND_NAME = "省级机关事务数字化转型（演示数据）"
YEAR = 2025

# Made-up patterns (not measurements): T1 T2 O1 O2 E1, then the outcome Y (S high / L low).
# "1" high, "0" low, "H" exactly the sample median (membership ½). See the module docstring.
PATTERNS = {
    "11": "11111S",
    "12": "10100L",
    "13": "00101S",
    "14": "01101S",
    "15": "101H0S",
    "21": "10011S",
    "22": "01111L",
    "23": "101HHL",
    "31": "H1001S",
    "32": "11000S",
    "33": "11111S",
    "34": "01011S",
    "35": "11110L",
    "36": "H0101S",
    "37": "10H01L",
    "41": "1HHH1L",
    "42": "00101S",
    "43": "01011L",
    "44": "11000S",
    "45": "01101S",
    "46": "101HHS",
    "50": "0H100L",
    "51": "11000S",
    "52": "11010S",
    "53": "00000S",
    "61": "10101L",
    "62": "01010L",
    "64": "101H0L",
    "65": "MMMMMM",
}
LEVEL = {"1": 0.85, "0": 0.15, "H": 0.5, "M": 0.5, "S": 0.88, "L": 0.12}
#: The study's typical cases of each path (REFERENCE §6.1).
TYPICAL = {"技术驱动型": ("51", "44", "52"), "压力驱动型": ("14",), "协同共生型": ("11", "33")}


def _jitter(key: str) -> float:
    """A fixed pseudo-random number in [−1, 1] (the same on every run)."""
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF * 2 - 1


def dataset() -> list[dict]:
    """One row per region of the study's sample: code, name, T1, T2, O1, O2, E1, Y (E2 is computed)."""
    names = rules.province_names()
    rows = []
    for code, pattern in sorted(PATTERNS.items()):
        lv = [LEVEL[b] + (0 if b in "HM" else 0.02 * _jitter(f"{code}-{i}")) for i, b in enumerate(pattern)]
        rows.append(
            {
                "code": code,
                "name": names[code],
                "pattern": pattern,
                "T1": round(40 + 55 * lv[0], 2),  # 数字政府发展指数
                "T2": round(20 + 75 * lv[1], 2),  # 业务网上办理比例 %
                "O1": round(10 + 60 * lv[2], 2),  # 领导讲话与工作报告中的词频 / 万字
                "O2": round(0.8 + 5 * lv[3], 2),  # 信息化支出占比 %
                "E1": round(2 + 140 * lv[4]),  # 上级督导、试点与考核事项
                "Y": round(20 + 75 * lv[5], 2),  # 转型质量
            }
        )
    return rows


def _owner() -> OrgUnit | None:
    """The unit whose people read the demo study: the demo province, else the first top-level unit."""
    return (
        OrgUnit.objects.filter(code=OWNER_CODE, is_active=True).first()
        or OrgUnit.objects.filter(depth=1, is_active=True).order_by("path").first()
    )


def _cases(actor, owner) -> dict[str, StudyCase]:
    names = rules.province_names()
    return {
        code: services.add_study_case(
            actor=actor, owner=owner, code=code, name=names[code], region_code=f"{code}0000", note="演示数据"
        )
        for code in sorted(PATTERNS)
    }


def seed(stdout) -> Round | None:
    study = seed_study(stdout)
    actor = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    owner = _owner()
    if actor is not None and owner is not None:
        seed_platform(stdout, actor, owner)
    return study


def seed_study(stdout) -> Round | None:
    if Round.objects.filter(name=ROUND_NAME, year=YEAR, is_demo=True).exists():
        return None
    actor = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if actor is None:
        stdout.write("演示评估：没有超级用户，跳过。")
        return None
    owner = _owner()
    if owner is None:
        stdout.write("演示评估：没有组织机构，跳过。")
        return None
    framework = services.ensure_default_framework()
    _cases(actor, owner)
    round_ = services.create_round(
        actor=actor,
        name=ROUND_NAME,
        year=YEAR,
        framework=framework,
        org_unit=owner,
        case_level=OrgUnit.Level.REGION,
        external=True,
        is_demo=True,
        note="演示数据：数值为虚构，仅用于展示评估与组态分析的功能。",
    )
    rows = dataset()
    out = io.StringIO()
    out.write("案例编码,案例名称,T1,T2,O1,O2,E1,Y\n")
    for r in rows:
        out.write(
            f"{r['code']},{r['name']},{r['T1']:.2f},{r['T2']:.2f},{r['O1']:.2f},{r['O2']:.2f},{r['E1']},{r['Y']:.2f}\n"
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


# --- An internal round on the platform's own data ------------------------------------------------

PLATFORM_ROUND = "本省机关平台数据评估（演示）"
PLATFORM_FRAMEWORK = ("TOE-P", "机关事务数字化转型成熟度（平台数据）")
# (code, name, dimension, source, weight): every indicator computed by the platform, none typed.
PLATFORM_INDICATORS = (
    ("T2", "数字平台构建", "T", "platform_business", "0.30"),
    ("T3", "在用业务领域数", "T", "platform_domains", "0.10"),
    ("T4", "一数一源", "T", "one_source", "0.20"),
    ("O3", "按时办结率", "O", "portal_on_time", "0.20"),
    ("O4", "服务满意度", "O", "portal_satisfaction", "0.20"),
    ("E3", "数据共享调用", "E", "sharing_calls", "0"),
)


def seed_platform(stdout, actor, owner) -> Round | None:
    """The demo province's own agencies assessed on what they do on the platform this year: 数字平台构建
    (pooled share and domains in use), 一数一源 and service quality, each with its formula and drill-down.
    Idempotent; computed from whatever the other apps' demos seeded (nothing here is typed)."""
    from django.utils import timezone  # here: only the demo seed needs today's year

    from .models import Framework, Indicator

    year = timezone.localdate().year
    if Round.objects.filter(name=PLATFORM_ROUND, year=year, org_unit=owner).exists():
        return None
    code, name = PLATFORM_FRAMEWORK
    framework, created = Framework.objects.get_or_create(code=code, version=1, defaults={"name": name})
    if created:
        for order, (c, n, dim, source, weight) in enumerate(PLATFORM_INDICATORS):
            Indicator.objects.create(
                framework=framework,
                code=c,
                name=n,
                dimension=dim,
                definition=rules.Source(source).label,
                unit="%" if source in ("platform_business", "one_source", "portal_on_time") else "",
                weight=weight,
                measurement="computed",
                source=source,
                order=order,
            )
    round_ = services.create_round(
        actor=actor,
        name=PLATFORM_ROUND,
        year=year,
        framework=framework,
        org_unit=owner,
        case_level=OrgUnit.Level.INSTITUTION,
        is_demo=True,
        note="演示：各指标均由平台数据计算（申请、能耗报送、派车、资产变动、事实来源），可点开查看计入的记录。",
    )
    written = services.compute_platform_indicators(actor=actor, round_=round_)
    scored = services.score_round(actor=actor, round_=round_)
    stdout.write(f"演示评估（平台数据）：计算 {sum(written.values())} 个指标值，计分 {scored.scored} 个单位。")
    return round_
