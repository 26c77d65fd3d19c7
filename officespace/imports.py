"""Room import from Excel: every row validated first, every bad row reported by row number and
column, then all rows written or none; importing the same file twice changes nothing.

Columns (first sheet, header in row 1): 楼宇编码 · 楼层 · 房间号 · 使用面积 · 用房类型 · 细分用途 ·
分配单位编码 · 备注. A floor that does not exist yet is created. A room that exists (same
building, floor and number) is updated where the file differs.
"""

from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from datahub import scoping
from datahub.imports import Importer, importer
from datahub.keyed import listed
from datahub.models import OrgUnit
from datahub.sheets import cell_text as _text
from datahub.sheets import source_choices

from . import tasks
from .models import Building, Floor, Room, RoomCategory, RoomSubtype
from .services import SPACE_EDITORS

COLUMNS = ("楼宇编码", "楼层", "房间号", "使用面积", "用房类型", "细分用途", "分配单位编码", "备注")
MAX_ROWS = 20000


@dataclass
class Result:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@importer
class RoomImporter(Importer):
    kind = "officespace.rooms"
    title = _("房间")
    columns = COLUMNS
    required = tuple(c for c in COLUMNS if c not in ("细分用途", "备注"))
    max_rows = MAX_ROWS
    roles = SPACE_EDITORS
    refused = _("您没有导入房间的权限。")
    template_filename = "房间导入模板.xlsx"
    template_rows = (("A-1", 3, "301", 18, "办公室", "", "单位编码", ""),)

    def back(self, params):
        return "officespace:room-import", ()

    def summary(self, result):
        return _("导入完成：新增 %(created)s 间，更新 %(updated)s 间，未变 %(unchanged)s 间。") % result

    def validate(self, ctx, rows):
        actor, bad, editor_roles = ctx.actor, ctx.errors.add, self.roles
        categories = {label: code for code, label in source_choices(RoomCategory.choices)}
        subtypes = {label: code for code, label in source_choices(RoomSubtype.choices) if code}
        buildings = {b.code: b for b in Building.objects.filter(code__in={_text(r["楼宇编码"]) for _, r in rows})}
        units = {u.code: u for u in OrgUnit.objects.filter(code__in={_text(r["分配单位编码"]) for _, r in rows})}
        parsed = []
        seen: dict[tuple, int] = {}
        for number, raw in ctx.each(rows):
            ok = True
            building = buildings.get(_text(raw["楼宇编码"]))
            if building is None:
                bad(number, "楼宇编码", _("没有编码为“%(code)s”的楼宇。") % {"code": _text(raw["楼宇编码"])})
                ok = False
            elif not scoping.covers(actor, building.org_unit, roles=editor_roles):
                bad(number, "楼宇编码", _("您没有管理“%(name)s”的权限。") % {"name": building.name})
                ok = False
            try:
                floor_number = int(_text(raw["楼层"]))
            except ValueError:
                bad(number, "楼层", _("请填写整数楼层（地下层用负数）。"))
                ok = False
            room_number = _text(raw["房间号"])
            if not room_number or len(room_number) > 20:
                bad(number, "房间号", _("请填写房间号（不超过20个字符）。"))
                ok = False
            try:
                area = Decimal(_text(raw["使用面积"])).quantize(Decimal("0.01"))
                if area <= 0:
                    raise InvalidOperation
            except (InvalidOperation, ValueError):
                bad(number, "使用面积", _("面积必须是大于0的数字。"))
                ok = False
            category = categories.get(_text(raw["用房类型"]))
            if category is None:
                bad(number, "用房类型", _("请填写%(choices)s之一。") % {"choices": listed(categories)})
                ok = False
            subtype_label = _text(raw.get("细分用途"))
            subtype = subtypes.get(subtype_label) if subtype_label else ""
            if subtype is None:
                bad(number, "细分用途", _("请填写%(choices)s之一，或留空。") % {"choices": listed(subtypes)})
                ok = False
            unit = units.get(_text(raw["分配单位编码"]))
            if unit is None:
                bad(number, "分配单位编码", _("没有编码为“%(code)s”的机构。") % {"code": _text(raw["分配单位编码"])})
                ok = False
            elif not scoping.covers(actor, unit, roles=editor_roles):
                bad(number, "分配单位编码", _("您没有管理“%(name)s”办公用房的权限。") % {"name": unit.name})
                ok = False
            if not ok:
                continue
            key = (building.pk, floor_number, room_number)
            if key in seen:
                bad(number, "房间号", _("与第%(row)s行重复。") % {"row": seen[key]})
                continue
            seen[key] = number
            parsed.append(
                (number, building, floor_number, room_number, area, category, subtype, unit, _text(raw.get("备注")))
            )
        return parsed

    def write(self, ctx, parsed):
        bad = ctx.errors.add
        # Locked while the totals are checked and the rooms written: two imports into one building queue.
        list(Building.objects.select_for_update().filter(pk__in={p[1].pk for p in parsed}).values_list("pk"))
        # Area totals per floor and building, with the file's rooms replacing the ledger's.
        floors = {(f.building_id, f.number): f for f in Floor.objects.filter(building__in={p[1] for p in parsed})}
        existing = {
            (r.building_id, r.floor.number, r.number): r
            for r in Room.objects.filter(building__in={p[1] for p in parsed}).select_related("floor")
        }
        totals_b: dict[int, Decimal] = {}
        totals_f: dict[tuple, Decimal] = {}
        for (b_id, f_no, _n), r in existing.items():
            if r.is_active:
                totals_b[b_id] = totals_b.get(b_id, Decimal(0)) + r.use_area
                totals_f[(b_id, f_no)] = totals_f.get((b_id, f_no), Decimal(0)) + r.use_area
        for number, building, f_no, r_no, area, *_rest in parsed:
            old = existing.get((building.pk, f_no, r_no))
            delta = area - (old.use_area if old is not None and old.is_active else Decimal(0))
            totals_b[building.pk] = totals_b.get(building.pk, Decimal(0)) + delta
            totals_f[(building.pk, f_no)] = totals_f.get((building.pk, f_no), Decimal(0)) + delta
            floor = floors.get((building.pk, f_no))
            if floor is not None and floor.use_area is not None and totals_f[(building.pk, f_no)] > floor.use_area:
                bad(
                    number,
                    "使用面积",
                    _("%(building)s%(floor)s层房间面积合计将超过该层使用面积%(area)sm²。")
                    % {"building": building.name, "floor": f_no, "area": floor.use_area},
                )
            if totals_b[building.pk] > building.use_area:
                bad(
                    number,
                    "使用面积",
                    _("%(building)s房间面积合计将超过楼宇总使用面积%(area)sm²。")
                    % {"building": building.name, "area": building.use_area},
                )
        if ctx.errors:
            return None

        result = Result()
        touched = []
        for number, building, f_no, r_no, area, category, subtype, unit, note in parsed:
            floor = floors.get((building.pk, f_no))
            if floor is None:
                floor = floors[(building.pk, f_no)] = Floor.objects.create(building=building, number=f_no)
            room = existing.get((building.pk, f_no, r_no))
            values = {"use_area": area, "category": category, "subtype": subtype, "org_unit": unit, "note": note}
            if room is None:
                room = Room.objects.create(building=building, floor=floor, number=r_no, **values)
                result.created += 1
            elif any(getattr(room, k) != v for k, v in values.items()):
                if category != RoomCategory.OFFICE and room.occupancies.filter(end_date__isnull=True).exists():
                    raise ValidationError(
                        [
                            _("第%(row)s行“用房类型”：%(room)s仍有人使用，不能改为非办公室。")
                            % {"row": number, "room": room}
                        ]
                    )
                for k, v in values.items():
                    setattr(room, k, v)
                room.save()
                result.updated += 1
            else:
                result.unchanged += 1
                continue
            touched.append(room.pk)
        if touched:
            tasks.recheck_rooms_on_commit(touched)
        return asdict(result)


def read_xlsx(file) -> list[tuple[int, dict]]:
    return RoomImporter().read(file, "rooms.xlsx")


def import_rooms(*, actor, rows: list[tuple[int, dict]], editor_roles=SPACE_EDITORS) -> Result:
    """Synchronously (the demo, benchmarks): every row checked, then all written or none."""
    return Result(**RoomImporter().run(actor=actor, rows=rows))
