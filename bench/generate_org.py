"""A province-scale organisation for the benchmarks, written in seconds.

At scale 1.0: one province, 11 cities and 90 counties (regions); institutions under
each region (40 provincial, 14 per city, 5 per county) with departments under each
(5, 4 and 1); about 2,000 OrgUnits in all, and 50,000 people spread over the
departments (provincial departments are the largest). Role grants: an approver on
every department, leaders and bureau administrators on the province and the cities,
a bureau administrator on every county.

Everything is written with ``bulk_create`` in one transaction: treebeard's
materialised paths (``path``/``depth``/``numchild``) are computed here instead of
inserting node by node, every user gets the same precomputed password hash, and no
simple_history rows are written (bulk writes send no signals). The tables are
VACUUM ANALYZEd at the end, as autovacuum would have done on a live database: the planner
sees the real row counts and index-only scans work.

Library use: ``build(scale)`` on a migrated, empty database. Command line (recreates
the bench database first, see run.py)::

    .venv/bin/python bench/generate_org.py [--scale 0.1]
"""

import random
import time

if __name__ == "__main__":  # as a script: set Django up before the imports below
    import argparse

    import run  # bench/ is on sys.path when this file is run

    parser = argparse.ArgumentParser(description="Recreate the bench database and generate the organisation.")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 ≈ 2,000 units and 50,000 people")
    cli_args = parser.parse_args()
    run.setup(fresh=True)

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction

from datahub import idnumbers
from datahub.models import OrgUnit, OrgUnitUserPermission, User
from datahub.roles import STAFF_ROLES, Role, permission_codename
from datahub.rules import PostLevel, Rank

BENCH_PASSWORD = "Bench-2026-yiwang"
SEED = 2026

# (institutions per region, departments per institution, relative department size)
PROVINCE, CITY, COUNTY = (40, 5, 3), (14, 4, 2), (5, 1, 1)
CITIES, COUNTIES = 11, 90

AGENCIES = [
    "机关事务管理局", "财政局", "教育局", "自然资源局", "交通运输局", "卫生健康委员会", "民政局", "司法局",
    "人力资源和社会保障局", "生态环境局", "住房和城乡建设局", "水利局", "农业农村局", "商务局", "文化和旅游局",
    "应急管理局", "审计局", "市场监督管理局", "统计局", "体育局", "医疗保障局", "林业局", "大数据发展管理局",
    "信访局", "科学技术局", "经济和信息化局", "发展和改革委员会", "退役军人事务局", "粮食和物资储备局", "公安局",
]  # fmt: skip
DEPARTMENTS = ["办公室", "综合处", "财务处", "人事处", "法规处", "规划处", "监督处", "信息中心"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力国"


def _step(n: int) -> str:
    """The n-th child's path step: base-``alphabet`` digits, left-padded to ``steplen``."""
    digits = ""
    while n:
        n, rem = divmod(n, len(OrgUnit.alphabet))
        digits = OrgUnit.alphabet[rem] + digits
    return digits.rjust(OrgUnit.steplen, OrgUnit.alphabet[0])


class _Tree:
    """Collects unsaved OrgUnits in path order, keeping path, depth and numchild right."""

    def __init__(self):
        self.units: list[OrgUnit] = []
        self.roots = 0

    def add(self, parent: OrgUnit | None, **fields) -> OrgUnit:
        if parent is None:
            self.roots += 1
            path, depth = _step(self.roots), 1
        else:
            parent.numchild += 1
            path, depth = parent.path + _step(parent.numchild), parent.depth + 1
        unit = OrgUnit(path=path, depth=depth, numchild=0, **fields)
        self.units.append(unit)
        return unit


def _uscc(region_code: str, serial: int) -> str:
    first17 = f"11{region_code}{serial:09d}"
    return first17 + idnumbers.uscc_check_char(first17)


def _apportion(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (whole numbers that add up to ``total``)."""
    out, done, acc = [], 0, 0
    for weight in weights:
        acc += weight
        upto = round(total * acc / sum(weights))
        out.append(upto - done)
        done = upto
    return out


def _build_units(scale: float) -> tuple[list[OrgUnit], list[tuple[OrgUnit, int]], list[tuple[OrgUnit, str]]]:
    """Returns the units, (department, size weight) pairs, and (region, 'province'/'city'/'county')."""
    tree = _Tree()
    departments: list[tuple[OrgUnit, int]] = []
    regions: list[tuple[OrgUnit, str]] = []
    serial = 0

    def region(parent, code, name, tier, n_inst, n_dept, weight):
        nonlocal serial
        unit = tree.add(parent, code=f"R{code}", name=name, level=OrgUnit.Level.REGION, region_code=code)
        regions.append((unit, tier))
        for i in range(n_inst):
            serial += 1
            kind = OrgUnit.Kind.PARTY_GOVERNMENT if i < len(AGENCIES) else OrgUnit.Kind.PUBLIC_INSTITUTION
            stem = AGENCIES[i % len(AGENCIES)]
            inst = tree.add(
                unit,
                code=f"{code}-{i + 1:03d}",
                name=name + (stem if i < len(AGENCIES) else stem.removesuffix("局") + "服务中心"),
                level=OrgUnit.Level.INSTITUTION,
                kind=kind,
                uscc=_uscc(code, serial),
                region_code=code,
                staffing_quota=n_dept * weight * 25,
            )
            for j in range(n_dept):
                dept = tree.add(
                    inst,
                    code=f"{inst.code}-{j + 1:02d}",
                    name=DEPARTMENTS[j % len(DEPARTMENTS)],
                    level=OrgUnit.Level.DEPARTMENT,
                    kind=kind,
                    region_code=code,
                    staffing_quota=weight * 22,
                )
                departments.append((dept, weight))
        return unit

    n_inst, n_dept, weight = PROVINCE  # the number of regions and of provincial institutions scale
    province = region(None, "330000", "示范省", "province", max(1, round(n_inst * scale)), n_dept, weight)
    n_cities = max(1, round(CITIES * scale))
    for c, n_counties in enumerate(_apportion(max(1, round(COUNTIES * scale)), [1] * n_cities), start=1):
        city = region(province, f"33{c:02d}00", f"示范省第{c}市", "city", *CITY)
        for k in range(1, n_counties + 1):
            region(city, f"33{c:02d}{k:02d}", f"第{c}市第{k}县", "county", *COUNTY)
    return tree.units, departments, regions


def _person(rng: random.Random, n: int, unit: OrgUnit, head: bool, password: str) -> User:
    birth = f"{rng.randint(1965, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    first17 = f"{unit.region_code}{birth}{n % 1000:03d}"
    if head:
        post_level, rank, title = PostLevel.DIVISION_PRINCIPAL, Rank.RESEARCHER_2, "处长"
    else:
        post_level = rng.choice([PostLevel.CLERK, PostLevel.CLERK, PostLevel.SECTION_PRINCIPAL, PostLevel.OFFICER])
        rank, title = rng.choice([Rank.STAFF_1, Rank.STAFF_2, Rank.PRINCIPAL_STAFF_4, Rank.PRINCIPAL_STAFF_2]), "科员"
    return User(
        username=f"u{n:06d}",
        name=rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2))),
        password=password,
        org_unit=unit,
        post_level=post_level,
        rank=rank,
        job_title=title,
        phone=f"13{n:09d}",
        id_number=first17 + idnumbers.id_number_check_char(first17),
        staffing_seats=1,
        is_active=n % 50 != 0,  # 2% have left
    )


def _grant_plan(members: dict[int, list[User]], departments, regions) -> list[tuple[User, str, OrgUnit]]:
    """(user, role, unit): an approver per department (its first member); leaders and bureau
    administrators per region, taken from the members of the region's first department."""
    per_tier = {
        "province": [Role.LEADER, Role.LEADER, Role.BUREAU_ADMIN, Role.BUREAU_ADMIN],
        "city": [Role.LEADER, Role.BUREAU_ADMIN, Role.BUREAU_ADMIN],
        "county": [Role.BUREAU_ADMIN],
    }
    plan = [(members[dept.pk][0], Role.APPROVER, dept) for dept, _ in departments]
    for unit, tier in regions:
        first_dept = next(d for d, _ in departments if d.path.startswith(unit.path))
        people = members[first_dept.pk]
        for i, role in enumerate(per_tier[tier], start=1):
            plan.append((people[i % len(people)], role, unit))
    return plan


def build(scale: float = 1.0) -> dict:
    """Write the organisation, its people and their grants; return row counts and phase timings (s)."""
    rng = random.Random(SEED)
    timings = {}
    with transaction.atomic():
        t = time.perf_counter()
        units, departments, regions = _build_units(scale)
        OrgUnit.objects.bulk_create(units, batch_size=1000)
        timings["units_s"] = time.perf_counter() - t

        t = time.perf_counter()
        password = make_password(BENCH_PASSWORD)
        counts = [max(1, n) for n in _apportion(round(50_000 * scale), [weight for _, weight in departments])]
        numbers = list(range(1, sum(counts) + 1))
        rng.shuffle(numbers)  # user names do not follow the tree (sorting by name mixes units)
        people, members = [], {dept.pk: [] for dept, _ in departments}
        for (dept, _), count in zip(departments, counts, strict=True):
            for i in range(count):
                person = _person(rng, numbers[len(people)], dept, i == 0, password)
                people.append(person)
                members[dept.pk].append(person)
        User.objects.bulk_create(people, batch_size=2000)
        timings["users_s"] = time.perf_counter() - t

        t = time.perf_counter()
        on_units = Permission.objects.filter(content_type__app_label="datahub", content_type__model="orgunit")
        perms = {p.codename: p for p in on_units.filter(codename__startswith="role_")}
        plan = _grant_plan(members, departments, regions)
        OrgUnitUserPermission.objects.bulk_create(
            OrgUnitUserPermission(user=user, permission=perms[permission_codename(role)], content_object=unit)
            for user, role, unit in plan
        )
        # What services.grant_role derives: role group membership, and is_staff for staff roles.
        groups = {g.name: g for g in Group.objects.filter(name__in=Role.values)}
        memberships = {(user.pk, groups[role].pk) for user, role, _ in plan}
        User.groups.through.objects.bulk_create(
            User.groups.through(user_id=u, group_id=g) for u, g in sorted(memberships)
        )
        User.objects.filter(pk__in={user.pk for user, role, _ in plan if role in STAFF_ROLES}).update(is_staff=True)
        timings["grants_s"] = time.perf_counter() - t

    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    timings["analyze_s"] = time.perf_counter() - t
    return {"units": len(units), "users": len(people), "grants": len(plan), **timings}


if __name__ == "__main__":
    import json

    print(json.dumps(build(cli_args.scale), ensure_ascii=False))
