"""Demo data: a provincial agency-affairs administration, its agencies, people of every rank,
and one account per role. Idempotent: rows that exist (by unit code or user name) are kept."""

import os
from datetime import timedelta
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from datahub import idnumbers, services
from datahub.catalog import services as catalog
from datahub.models import OrgUnit, User
from datahub.roles import Role
from datahub.rules import PostLevel, Rank

DEMO_PASSWORD = "Demo-2026-yiwang"

# (code, name, level, kind, region, quota, parent code)
UNITS = [
    ("ZJ", "浙江省", "region", "", "330000", 0, None),
    ("ZJ-JGSW", "浙江省机关事务管理局", "institution", "party_gov", "330000", 120, "ZJ"),
    ("ZJ-JGSW-BGS", "办公室", "department", "", "", 12, "ZJ-JGSW"),
    ("ZJ-JGSW-GCC", "公务用车管理处", "department", "", "", 10, "ZJ-JGSW"),
    ("ZJ-JGSW-FCC", "办公用房管理处", "department", "", "", 10, "ZJ-JGSW"),
    ("ZJ-JGSW-JNC", "公共机构节能管理处", "department", "", "", 8, "ZJ-JGSW"),
    ("ZJ-JGSW-ZCC", "资产管理处", "department", "", "", 8, "ZJ-JGSW"),
    ("ZJ-CZT", "浙江省财政厅", "institution", "party_gov", "330000", 300, "ZJ"),
    ("ZJ-CZT-BGS", "办公室", "department", "", "", 20, "ZJ-CZT"),
    ("ZJ-CZT-YSC", "预算处", "department", "", "", 15, "ZJ-CZT"),
    ("ZJ-CZT-ZCC", "资产管理处", "department", "", "", 12, "ZJ-CZT"),
    ("ZJ-JYT", "浙江省教育厅", "institution", "party_gov", "330000", 200, "ZJ"),
    ("ZJ-JYT-BGS", "办公室", "department", "", "", 15, "ZJ-JYT"),
    ("ZJ-JYT-RSC", "人事处", "department", "", "", 10, "ZJ-JYT"),
    ("ZJ-ZRZY", "浙江省自然资源厅", "institution", "party_gov", "330000", 250, "ZJ"),
    ("ZJ-ZRZY-BGS", "办公室", "department", "", "", 15, "ZJ-ZRZY"),
    ("ZJ-ZRZY-GHC", "国土空间规划处", "department", "", "", 12, "ZJ-ZRZY"),
    ("ZJ-FWZX", "浙江省机关事务服务中心", "institution", "public_inst", "330000", 80, "ZJ"),
    ("ZJ-FWZX-CD", "车队", "department", "", "", 30, "ZJ-FWZX"),
    ("ZJ-FWZX-WYK", "物业管理科", "department", "", "", 20, "ZJ-FWZX"),
    ("HZ", "杭州市", "region", "", "330100", 0, "ZJ"),
    ("HZ-JGSW", "杭州市机关事务管理局", "institution", "party_gov", "330100", 60, "HZ"),
    ("HZ-JGSW-BGS", "办公室", "department", "", "", 8, "HZ-JGSW"),
    ("HZ-JGSW-CLK", "车辆管理科", "department", "", "", 6, "HZ-JGSW"),
]

# (username, name, unit code, post level, rank, title, roles as (role, unit code), superuser)
ACCOUNTS = [
    ("zhangwei", "张伟", "ZJ-CZT-BGS", PostLevel.CLERK, Rank.STAFF_1, "科员", [], False),
    (
        "lina",
        "李娜",
        "ZJ-CZT-BGS",
        PostLevel.DIVISION_PRINCIPAL,
        Rank.RESEARCHER_2,
        "办公室主任",
        [(Role.APPROVER, "ZJ-CZT-BGS")],
        False,
    ),
    (
        "wangqiang",
        "王强",
        "ZJ-JGSW-BGS",
        PostLevel.DIVISION_PRINCIPAL,
        Rank.RESEARCHER_1,
        "办公室主任",
        [(Role.BUREAU_ADMIN, "ZJ")],
        False,
    ),
    ("chenming", "陈明", "ZJ-JGSW", PostLevel.BUREAU_PRINCIPAL, Rank.INSPECTOR_1, "局长", [(Role.LEADER, "ZJ")], False),
    (
        "zhaolei",
        "赵磊",
        "ZJ-JGSW-GCC",
        PostLevel.SECTION_PRINCIPAL,
        Rank.PRINCIPAL_STAFF_1,
        "车辆调度员",
        [(Role.VEHICLE_DISPATCHER, "ZJ")],
        False,
    ),
    (
        "sunli",
        "孙丽",
        "ZJ-JGSW-FCC",
        PostLevel.SECTION_PRINCIPAL,
        Rank.PRINCIPAL_STAFF_2,
        "房产管理员",
        [(Role.SPACE_ADMIN, "ZJ")],
        False,
    ),
    (
        "zhoujie",
        "周杰",
        "ZJ-CZT-ZCC",
        PostLevel.SECTION_DEPUTY,
        Rank.PRINCIPAL_STAFF_3,
        "资产管理员",
        [(Role.ASSET_ADMIN, "ZJ-CZT")],
        False,
    ),
    (
        "wufang",
        "吴芳",
        "ZJ-JYT-BGS",
        PostLevel.CLERK,
        Rank.PRINCIPAL_STAFF_4,
        "能耗填报员",
        [(Role.ENERGY_REPORTER, "ZJ-JYT")],
        False,
    ),
    (
        "zhengyu",
        "郑宇",
        "ZJ-JGSW-BGS",
        PostLevel.SECTION_PRINCIPAL,
        Rank.PRINCIPAL_STAFF_1,
        "数据管理员",
        [(Role.DATA_STEWARD, "ZJ")],
        False,
    ),
    ("sysadmin", "系统管理员", "ZJ-JGSW-BGS", PostLevel.UNDETERMINED, "", "系统管理员", [], True),
    (
        "liuyang",
        "刘洋",
        "ZJ-JGSW-BGS",
        PostLevel.SECTION_DEPUTY,
        Rank.PRINCIPAL_STAFF_2,
        "安全审计员",
        [(Role.AUDITOR, "ZJ")],
        False,
    ),
]

SURNAMES = "刘杨黄何林罗高梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = [
    "建国",
    "秀英",
    "海燕",
    "志强",
    "晓明",
    "丽华",
    "文博",
    "静怡",
    "子涵",
    "浩然",
    "雨桐",
    "思远",
    "国华",
    "玉兰",
    "振宇",
    "晓燕",
]
# (post level, rank, title) cycled through each department's staff
STAFF_PATTERN = [
    (PostLevel.DIVISION_DEPUTY, Rank.RESEARCHER_3, "副处长"),
    (PostLevel.SECTION_PRINCIPAL, Rank.PRINCIPAL_STAFF_1, "科长"),
    (PostLevel.SECTION_DEPUTY, Rank.PRINCIPAL_STAFF_2, "副科长"),
    (PostLevel.CLERK, Rank.PRINCIPAL_STAFF_4, "主任科员"),
    (PostLevel.CLERK, Rank.STAFF_1, "科员"),
    (PostLevel.OFFICER, Rank.STAFF_2, "办事员"),
]


def demo_uscc(index: int, kind: str, region: str) -> str:
    # 1 = 机构编制 registration authority; 1 = 机关, 2 = 事业单位 (GB 32100 type codes).
    head = "11" if kind == "party_gov" else "12"
    body = f"{head}{region}{index:08d}"  # the 9-digit organisation code is left with a digit check
    body += str(index % 10)
    return body + idnumbers.uscc_check_char(body)


def demo_id_number(index: int) -> str:
    first17 = f"330106{1970 + index % 30}{(index % 12) + 1:02d}{(index % 28) + 1:02d}{index % 1000:03d}"
    return first17 + idnumbers.id_number_check_char(first17)


class Command(BaseCommand):
    help = "载入演示数据（可重复执行，不会重复创建）"

    # Demo requests notify demo people; their e-mails are not worth printing to the console.
    @override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    @transaction.atomic
    def handle(self, *args, **options):
        root_actor = User.objects.filter(is_superuser=True).first() or self._bootstrap_superuser()
        units = self._units(root_actor)
        self._accounts(root_actor, units)
        self._staff(root_actor, units)
        services.run_directory_check()
        self._catalog(root_actor)
        self._app_demos()
        self._print_accounts()

    def _bootstrap_superuser(self) -> User:
        username, name, *_ = next(row for row in ACCOUNTS if row[-1])  # the one account marked superuser
        return User.objects.create_superuser(username=username, email="", password=DEMO_PASSWORD, name=name)

    def _units(self, actor) -> dict[str, OrgUnit]:
        units = {u.code: u for u in OrgUnit.objects.filter(code__in=[row[0] for row in UNITS])}
        for index, (code, name, level, kind, region, quota, parent_code) in enumerate(UNITS, start=1):
            if code in units:
                continue
            fields = {"code": code, "name": name, "level": level, "kind": kind, "staffing_quota": quota}
            if region:
                fields["region_code"] = region
            if level == "institution":
                fields["uscc"] = demo_uscc(index, kind, region)
            units[code] = services.create_org_unit(actor=actor, parent=units.get(parent_code), **fields)
        return units

    def _accounts(self, actor, units):
        for index, (username, name, unit, level, rank, title, roles, superuser) in enumerate(ACCOUNTS):
            user = User.objects.filter(username=username).first()
            if user is None:
                user = services.create_user(
                    actor=actor,
                    password=DEMO_PASSWORD,
                    username=username,
                    name=name,
                    email=f"{username}@demo.yiwang.local",
                    org_unit=units[unit],
                    post_level=level,
                    rank=rank,
                    job_title=title,
                    phone=f"1380571{index:04d}",
                    id_number=demo_id_number(index),
                )
            elif superuser and user.org_unit_id is None:
                user.org_unit = units[unit]
                user.save(update_fields=["org_unit"])
            for role, unit_code in roles:
                services.grant_role(actor=actor, user=user, role=role, unit=units[unit_code])

    def _staff(self, actor, units):
        existing = set(User.objects.filter(username__startswith="staff").values_list("username", flat=True))
        serial = 0
        for _code, unit in units.items():
            if unit.level != OrgUnit.Level.DEPARTMENT:
                continue
            for slot, (level, rank, title) in enumerate(STAFF_PATTERN):
                serial += 1
                username = f"staff{serial:03d}"
                if username in existing:
                    continue
                name = SURNAMES[serial % len(SURNAMES)] + GIVEN[(serial * 7 + slot) % len(GIVEN)]
                # Directory entries only: they sign in once an administrator sets a password.
                services.create_user(
                    actor=actor,
                    password=None,
                    username=username,
                    name=name,
                    org_unit=unit,
                    post_level=level,
                    rank=rank,
                    job_title=title,
                    is_main_post=slot != len(STAFF_PATTERN) - 1 or serial % 2 == 0,
                    phone=f"1390571{serial:04d}",
                    id_number=demo_id_number(100 + serial),
                )

    def _catalog(self, root_actor):
        """The data hub's catalog (published from the domains' declarations), a grant of the 财政厅 clerk and
        two exchange calls of theirs: the command center's data-hub figures have something to show."""
        datasets = catalog.catalog_sync()
        clerk = User.objects.get(username="zhangwei")
        dataset = next((d for d in datasets if d.declaration_key == "datahub.units"), None)
        if dataset is None or dataset.grants.filter(user=clerk).exists():
            return
        today = timezone.localdate()
        catalog.grant_create(
            actor=root_actor,
            dataset=dataset,
            consumer_unit=clerk.org_unit,
            user=clerk,
            items=list(dataset.items.values_list("name", flat=True)),
            valid_from=today,
            valid_to=today + timedelta(days=365),
            purpose="演示：核对本单位机构信息",
        )
        for rows in (12, 30):
            catalog.trail_append(caller_user=clerk, caller_unit=clerk.org_unit, dataset=dataset, rows=rows, status=200)
        self.stdout.write(f"数据共享：目录 {len(datasets)} 项，授权 1 项。")

    def _app_demos(self):
        """Each app may ship ``<app>/demo.py`` with ``seed(stdout)``, run after the directory exists.

        The directory knows nothing of the apps built on it; they bring their own demo rows.
        """
        for config in apps.get_app_configs():
            if config.name != "datahub" and find_spec(f"{config.name}.demo") is not None:
                import_module(f"{config.name}.demo").seed(self.stdout)

    def _print_accounts(self):
        out = self.stdout
        out.write("")
        out.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        roles = {
            "zhangwei": "机关工作人员（财政厅办公室）",
            "lina": "处室负责人/审批人（财政厅办公室）",
            "wangqiang": "机关事务管理局管理员（全省）",
            "chenming": "领导（全省）",
            "zhaolei": "车辆调度员（全省）",
            "sunli": "房产管理员（全省）",
            "zhoujie": "资产管理员（财政厅）",
            "wufang": "能耗填报员（教育厅）",
            "zhengyu": "数据管理员（全省）",
            "liuyang": "审计员（全省）",
            "sysadmin": "系统管理员（超级用户）",
        }
        for username, label in roles.items():
            out.write(f"  {username:<10} {label}")
        # `PORT=8001 make run` serves on that port; the Makefile passes PORT to this command too.
        port = os.environ.get("PORT", "").strip() or "8000"
        out.write(f"打开 http://127.0.0.1:{port}/ 登录。")
