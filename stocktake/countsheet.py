"""Reading a count sheet's rows against a stocktake's book: the checks of every row, shared by the
import's validation (datahub.imports, no lock) and services.import_counts (again, under the lock)."""

from django.utils.translation import gettext as _

from assets.selectors import card_ids_by_number
from datahub.models import User
from datahub.sheets import cell_text as _text
from officespace.selectors import rooms_at

from . import rules
from .models import BookLine, Count

YES = {"是", "Y", "YES", "1", "TRUE", "盘盈"}


def parse_rows(stocktake, rows, actor) -> tuple[list[dict], list[str]]:
    """The Count fields of each row, or the list of "第N行“列”：reason" errors."""
    codes = {rules.normalise_code(r.get("资产编号")) for _, r in rows}
    # number → (line id, asset id), as plain values: a province-wide book has tens of thousands of lines.
    lines = {
        number: (pk, asset_id)
        for pk, asset_id, number in BookLine.objects.filter(stocktake=stocktake).values_list(
            "pk", "asset_id", "asset_number"
        )
    }
    on_other_books = card_ids_by_number(codes - set(lines))
    counted = set(Count.objects.filter(stocktake=stocktake).values_list("code", flat=True))
    room_keys = {(_text(r.get("楼宇编码")), _text(r.get("房间号"))) for _, r in rows}
    rooms: dict[tuple, list] = {}
    # Two IN lists, matched in Python: one short query however many rooms the sheet names.
    candidates = rooms_at({b for b, _ in room_keys if b}, {n for _, n in room_keys if n})
    for room in candidates:
        if (room.building.code, room.number) in room_keys:
            rooms.setdefault((room.building.code, room.number), []).append(room)
    usernames = {_text(r.get("使用人")) for _, r in rows} - {""}
    people = {u.username: u for u in User.objects.filter(username__in=usernames, is_active=True)}

    errors: list[str] = []
    parsed: list[dict] = []
    seen: dict[str, int] = {}

    def bad(number, column, message):
        errors.append(_("第%(row)s行“%(column)s”：%(message)s") % {"row": number, "column": column, "message": message})

    for number, raw in rows:
        ok = True
        code = rules.normalise_code(raw.get("资产编号"))
        surplus = _text(raw.get("盘盈")).upper() in YES
        if not code:
            bad(number, "资产编号", _("不能为空。"))
            ok = False
        elif len(code) > 100:
            bad(number, "资产编号", _("过长（最多100个字符）。"))
            ok = False
        elif code in seen:
            bad(number, "资产编号", _("与第%(value)s行重复。") % {"value": seen[code]})
            ok = False
        elif code in counted:
            bad(number, "资产编号", _("该资产已盘点过。"))
            ok = False
        seen.setdefault(code, number)
        line_id, asset_id = lines.get(code, (None, None))
        if line_id is None:
            asset_id = on_other_books.get(code)
        if ok and asset_id is None and not surplus:
            bad(number, "资产编号", _("“%(code)s”不在账上；如为账外实物，请在“盘盈”列填“是”。") % {"code": code})
            ok = False
        building_code, room_number = _text(raw.get("楼宇编码")), _text(raw.get("房间号"))
        room = None
        if building_code or room_number:
            found = rooms.get((building_code, room_number), [])
            if not (building_code and room_number):
                bad(number, "房间号" if building_code else "楼宇编码", _("楼宇编码和房间号须同时填写。"))
                ok = False
            elif not found:
                bad(
                    number,
                    "房间号",
                    _("楼宇“%(building_code)s”中没有房间“%(room_number)s”。")
                    % {"building_code": building_code, "room_number": room_number},
                )
                ok = False
            elif len(found) > 1:
                bad(
                    number,
                    "房间号",
                    _("楼宇“%(building_code)s”有多个房间“%(room_number)s”（不同楼层），请在页面上逐个登记。")
                    % {"building_code": building_code, "room_number": room_number},
                )
                ok = False
            else:
                room = found[0]
        elif stocktake.room_id:
            room = stocktake.room
        username = _text(raw.get("使用人"))
        person = people.get(username) if username else None
        if username and person is None:
            bad(number, "使用人", _("找不到在岗人员“%(username)s”（请填写用户名）。") % {"username": username})
            ok = False
        name = _text(raw.get("盘盈资产名称"))
        if len(name) > 200:
            bad(number, "盘盈资产名称", _("最多200个字符。"))
            ok = False
        note = _text(raw.get("备注"))
        if len(note) > 300:
            bad(number, "备注", "最多300个字符。")
            ok = False
        if ok:
            parsed.append(
                {
                    "code": code,
                    "line_id": line_id,
                    "asset_id": asset_id,
                    "observed_room": room,
                    "observed_custodian": person,
                    "surplus_name": name if asset_id is None else "",
                    "note": note,
                }
            )
    return parsed, errors
