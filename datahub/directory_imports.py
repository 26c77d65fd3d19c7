"""Directory imports: org units and people from Excel, for the directory's editors (DIRECTORY_EDITORS).

Each row goes through the same services as the directory pages (``create_org_unit`` / ``update_org_unit``,
``create_user`` / ``update_user``), so the same validators decide (GB 32100 统一社会信用代码, 行政区划代码,
phone numbers, the tree's shape, unique codes) and the same permission: the editor must cover the unit a
row names, else that row is refused. A row whose code (user name) exists updates that unit (person);
a new one is created. Rows are applied in file order, so a unit may be the parent of a later row.

``validate`` applies every row inside a transaction it rolls back, which lists every error of every row
(an error of row 7 that depends on row 3 included); ``write`` applies them again for real, all or none.
The tree is written node by node (treebeard computes each path), which is fine at a directory's size.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .imports import Importer, importer
from .models import OrgUnit, User
from .roles import DIRECTORY_EDITORS
from .rules import PostLevel, Rank
from .sheets import cell_text as _text
from .sheets import source_choices

UNIT_COLUMNS = ("机构编码", "名称", "上级机构编码", "层级", "机构类型", "统一社会信用代码", "行政区划代码", "编制数")
UNIT_REQUIRED = ("机构编码", "名称", "上级机构编码", "层级")
UNIT_FIELD_COLUMN = {
    "code": "机构编码",
    "name": "名称",
    "level": "层级",
    "kind": "机构类型",
    "uscc": "统一社会信用代码",
    "region_code": "行政区划代码",
    "staffing_quota": "编制数",
    "parent": "上级机构编码",
}
PERSON_COLUMNS = ("用户名", "姓名", "所在单位编码", "职务级别", "职级", "联系电话", "职务名称")
PERSON_REQUIRED = ("用户名", "姓名", "所在单位编码")
PERSON_FIELD_COLUMN = {
    "username": "用户名",
    "name": "姓名",
    "org_unit": "所在单位编码",
    "post_level": "职务级别",
    "rank": "职级",
    "phone": "联系电话",
    "job_title": "职务名称",
}


def _choice(choices, text: str) -> str | None:
    """A choice given by its code or its Chinese label; None when it is neither."""
    for code, label in choices:
        if text in (code, label):
            return code
    return None


def _report(ctx, number: int, exc: Exception, columns: dict, default: str) -> None:
    if isinstance(exc, PermissionDenied):
        ctx.errors.add(number, default, str(exc))
        return
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            for message in messages:
                ctx.errors.add(number, columns.get(field, default), message)
    else:
        for message in exc.messages:
            ctx.errors.add(number, default, message)


class _DirectoryImporter(Importer):
    roles = DIRECTORY_EDITORS

    def validate(self, ctx, rows):
        with transaction.atomic():
            self._apply(ctx, ctx.each(rows))
            transaction.set_rollback(True)
        return rows

    def write(self, ctx, rows):
        return self._apply(ctx, rows)

    def summary(self, result):
        return self.done % {"created": result["created"], "updated": result["updated"]}


@importer
class UnitImporter(_DirectoryImporter):
    kind = "datahub.units"
    title = gettext_lazy("组织机构")
    done = gettext_lazy("导入完成：新增 %(created)s 个，更新 %(updated)s 个。")
    columns = UNIT_COLUMNS
    required = UNIT_REQUIRED
    max_rows = 20_000
    refused = gettext_lazy("您没有导入组织机构的权限。")
    template_filename = "组织机构导入模板.xlsx"
    template_rows = (("ZJ-XXT", "某某厅", "ZJ", "机关/单位", "党政机关", "11330000002482130X", "330000", 120),
                     ("ZJ-XXT-BGS", "办公室", "ZJ-XXT", "内设机构", "", "", "", 10))  # fmt: skip

    def back(self, params):
        return "unit-import", ()

    def _apply(self, ctx, rows) -> dict:
        created = updated = 0
        for number, raw in rows:
            code, parent_code = _text(raw.get("机构编码")), _text(raw.get("上级机构编码"))
            level = _choice(source_choices(OrgUnit.Level.choices), _text(raw.get("层级")))
            kind_text = _text(raw.get("机构类型"))
            kind = _choice(source_choices(OrgUnit.Kind.choices), kind_text) if kind_text else ""
            ok = True
            if level is None:
                ctx.errors.add(
                    number,
                    "层级",
                    _("请填写%(names)s之一。")
                    % {"names": _("、").join(label for _, label in source_choices(OrgUnit.Level.choices))},
                )
                ok = False
            if kind is None:
                ctx.errors.add(
                    number,
                    "机构类型",
                    _("请填写%(names)s之一，或留空。")
                    % {"names": _("、").join(label for _, label in source_choices(OrgUnit.Kind.choices))},
                )
                ok = False
            try:
                quota = int(_text(raw.get("编制数")) or 0)
                if quota < 0:
                    raise ValueError
            except ValueError:
                ctx.errors.add(number, "编制数", _("请填写不小于0的整数。"))
                ok = False
            parent = OrgUnit.objects.filter(code=parent_code).first() if parent_code else None
            if parent is None:
                ctx.errors.add(
                    number,
                    "上级机构编码",
                    _("没有编码为“%(parent_code)s”的机构（上级机构须已存在或在本文件前面的行中）。")
                    % {"parent_code": parent_code},
                )
                ok = False
            if not code:
                ctx.errors.add(number, "机构编码", _("不能为空。"))
                ok = False
            if not ok:
                continue
            fields = {"name": _text(raw.get("名称")), "level": level, "kind": kind,
                      "uscc": _text(raw.get("统一社会信用代码")) or None, "staffing_quota": quota}  # fmt: skip
            region = _text(raw.get("行政区划代码"))
            if region:
                fields["region_code"] = region
            existing = OrgUnit.objects.filter(code=code).first()
            try:
                with transaction.atomic():
                    if existing is None:
                        services.create_org_unit(actor=ctx.actor, parent=parent, code=code, **fields)
                        created += 1
                    else:
                        if OrgUnit.objects.get_parent(existing) != parent:
                            raise ValidationError({"parent": _("已有机构的上级不能通过导入变更，请在机构页面调整。")})
                        services.update_org_unit(actor=ctx.actor, unit=existing, **fields)
                        updated += 1
            except (ValidationError, PermissionDenied) as exc:
                _report(ctx, number, exc, UNIT_FIELD_COLUMN, "机构编码")
        return {"created": created, "updated": updated}


@importer
class PersonImporter(_DirectoryImporter):
    kind = "datahub.people"
    title = gettext_lazy("人员")
    done = gettext_lazy("导入完成：新增 %(created)s 人，更新 %(updated)s 人。")
    columns = PERSON_COLUMNS
    required = PERSON_REQUIRED
    max_rows = 50_000
    refused = gettext_lazy("您没有导入人员的权限。")
    template_filename = "人员导入模板.xlsx"
    template_rows = (("zhangsan", "张三", "ZJ-XXT-BGS", "122", "", "13800000000", "科员"),)

    def back(self, params):
        return "person-import", ()

    def _apply(self, ctx, rows) -> dict:
        created = updated = 0
        for number, raw in rows:
            username, unit_code = _text(raw.get("用户名")), _text(raw.get("所在单位编码"))
            post_text, rank_text = _text(raw.get("职务级别")), _text(raw.get("职级"))
            post_level = _choice(source_choices(PostLevel.choices), post_text) if post_text else PostLevel.UNDETERMINED
            rank = _choice(source_choices(Rank.choices), rank_text) if rank_text else ""
            unit = OrgUnit.objects.filter(code=unit_code).first() if unit_code else None
            ok = True
            if unit is None:
                ctx.errors.add(
                    number, "所在单位编码", _("没有编码为“%(unit_code)s”的机构。") % {"unit_code": unit_code}
                )
                ok = False
            if post_level is None:
                ctx.errors.add(
                    number,
                    "职务级别",
                    _("“%(post_text)s”不是GB/T 12407-2008职务级别代码或名称。") % {"post_text": post_text},
                )
                ok = False
            if rank is None:
                ctx.errors.add(number, "职级", _("“%(rank_text)s”不是职级代码或名称。") % {"rank_text": rank_text})
                ok = False
            if not username:
                ctx.errors.add(number, "用户名", _("不能为空。"))
                ok = False
            if not ok:
                continue
            fields = {"name": _text(raw.get("姓名")), "org_unit": unit, "post_level": post_level, "rank": rank,
                      "phone": _text(raw.get("联系电话")), "job_title": _text(raw.get("职务名称"))}  # fmt: skip
            existing = User.objects.filter(username=username).first()
            try:
                with transaction.atomic():
                    if existing is None:
                        services.create_user(actor=ctx.actor, password=None, username=username, **fields)
                        created += 1
                    else:
                        services.update_user(actor=ctx.actor, user=existing, **fields)
                        updated += 1
            except (ValidationError, PermissionDenied) as exc:
                _report(ctx, number, exc, PERSON_FIELD_COLUMN, "所在单位编码")
        return {"created": created, "updated": updated}
