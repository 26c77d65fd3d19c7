"""Reading an uploaded Excel sheet or CSV for the apps' imports: one reader, one set of messages.

Each app's import validates the rows itself (its own columns and rules); what they share is
turning the first sheet into numbered rows keyed by the header, and refusing files that are not
.xlsx, lack a required column, or are too long — with the row number a civil servant sees in Excel.

An upload must not be able to keep a worker busy. Before a row is parsed (``SheetRefused``, the
pre-check) the file's size, the zip's declared member sizes and compression ratios (a zip bomb
is small on disk and huge unpacked) and the sheet's declared dimension are held against
rules.SHEET_LIMITS. The declared sizes are a real bound: Python's zipfile never inflates a member
beyond its declared size. The declared dimension is not — a generator may write anything there —
so reading also stops at the same caps on rows, columns and cells, whatever the dimension said.
"""

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import fields, replace
from operator import itemgetter

from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from . import rules, uploads


class SheetRefused(ValidationError):
    """Raised by the pre-check: the file was refused before any of its rows was parsed."""


def source_choices(choices) -> list[tuple[str, str]]:
    """Choices as a sheet spells them: with their Chinese labels, whatever language the reader chose.

    The import templates and the sheets people fill are Chinese, so an import started from the English
    interface must still match "购置" and not "Purchase" (and the labels must be plain strings to join)."""
    with translation.override(settings.LANGUAGE_CODE):
        return [(code, str(label)) for code, label in choices]


def limits() -> rules.SheetLimits:
    return replace(rules.SHEET_LIMITS, **getattr(settings, "SHEET_LIMITS", {}))


@checks.register()
def check_limits(app_configs=None, **kwargs) -> list[checks.Error]:
    """A misspelt SHEET_LIMITS name fails at start-up, not on the first upload."""
    unknown = set(getattr(settings, "SHEET_LIMITS", {})) - {f.name for f in fields(rules.SheetLimits)}
    if unknown:
        return [checks.Error(f"SHEET_LIMITS names unknown limits: {', '.join(sorted(unknown))}", id="datahub.E001")]
    return []


def _mb(size: int) -> str:
    return f"{size / rules.MB:.1f}MB"


def _size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
    file.seek(0)
    return size


def _check_file(file, what: str, cap: rules.SheetLimits) -> None:
    size = _size(file)
    if size == 0:
        raise SheetRefused(_("上传的%(what)s是空文件（0字节），请选择填好数据的文件。") % {"what": what})
    if size > cap.max_file_bytes:
        raise SheetRefused(
            _("上传的%(what)s有%(mb)s，超过上限%(mb2)s，请分批导入。")
            % {"what": what, "mb": _mb(size), "mb2": _mb(cap.max_file_bytes)}
        )


def _not_xlsx(file, what: str) -> SheetRefused:
    return SheetRefused(
        _("无法读取该文件（%(describe)s），请上传 .xlsx 格式的%(what)s。")
        % {"describe": uploads.describe(file), "what": what}
    )


def _check_zip(file, what: str, cap: rules.SheetLimits, max_rows: int) -> None:
    """Members, total unpacked size and compression ratio, from the zip's central directory alone."""
    head = file.read(8)
    file.seek(0)
    if head.startswith(uploads.OLE_SIGNATURE):
        raise SheetRefused(_("这是旧版 .xls 文件，请在Excel中“另存为” .xlsx 格式的%(what)s后再上传。") % {"what": what})
    if not head.startswith(uploads.ZIP_SIGNATURE) or uploads.ooxml_family(file) != "ooxml_excel":
        raise _not_xlsx(file, what)
    with zipfile.ZipFile(file) as archive:
        members = archive.infolist()
    file.seek(0)
    if len(members) > cap.max_zip_members:
        raise SheetRefused(
            _("%(what)s内含%(count)s个部件，超过上限%(max_zip_members)s个，不像是正常的Excel文件。")
            % {"what": what, "count": len(members), "max_zip_members": cap.max_zip_members}
        )
    unpacked = sum(m.file_size for m in members)
    limit = cap.uncompressed_cap(max_rows)
    if unpacked > limit:
        raise SheetRefused(
            _("%(what)s解压后有%(mb)s，超过本导入的上限%(mb2)s（疑似压缩炸弹或数据过多），请删除多余内容或分批导入。")
            % {"what": what, "mb": _mb(unpacked), "mb2": _mb(limit)}
        )
    # Each big member, and the whole (a bomb spread over many small members), by its ratio.
    packed = sum(m.compress_size for m in members)
    for name, size, compressed in [
        *((m.filename, m.file_size, m.compress_size) for m in members),
        (_("全部内容"), unpacked, packed),
    ]:
        ratio = size / max(1, compressed)
        if size > cap.ratio_applies_above_bytes and ratio > cap.max_compression_ratio:
            raise SheetRefused(
                _(
                    "%(what)s中的“%(name)s”压缩比为%(ratio).0f倍，超过上限%(max_compression_ratio)s倍（疑似压缩炸弹），请在Excel中重新保存后再上传。"
                )
                % {"what": what, "name": name, "ratio": ratio, "max_compression_ratio": cap.max_compression_ratio}
            )


def _check_dimension(sheet, what: str, cap: rules.SheetLimits, row_cap: int) -> None:
    rows, columns = sheet.max_row, sheet.max_column
    if rows is None or columns is None:
        return  # no declared dimension: the caps while reading decide
    span = f"A1:{get_column_letter(columns)}{rows}"
    if rows > row_cap:
        raise SheetRefused(
            _("%(what)s声明的数据范围%(span)s有%(rows)s行，超过本导入的上限%(row_cap)s行，请删除多余的行或分批导入。")
            % {"what": what, "span": span, "rows": rows, "row_cap": row_cap}
        )
    if columns > cap.max_columns:
        raise SheetRefused(
            _("%(what)s声明的数据范围%(span)s有%(columns)s列，超过上限%(max_columns)s列，请删除多余的列。")
            % {"what": what, "span": span, "columns": columns, "max_columns": cap.max_columns}
        )
    if rows * columns > cap.max_cells:
        raise SheetRefused(
            _("%(what)s声明的数据范围%(span)s共%(value)s个单元格，超过上限%(max_cells)s个，请分批导入。")
            % {"what": what, "span": span, "value": rows * columns, "max_cells": cap.max_cells}
        )


def _capped(rows: Iterable[tuple], what: str, cap: rules.SheetLimits, row_cap: int) -> Iterator[tuple[int, tuple]]:
    """Number the rows, stopping at the caps (the declared dimension may have lied)."""
    cells = 0
    for number, values in enumerate(rows, start=1):
        if number > row_cap:
            raise ValidationError(
                _("%(what)s超过%(row_cap)s行（含空行），超出本导入的上限，请删除多余的行或分批导入。")
                % {"what": what, "row_cap": row_cap}
            )
        cells += len(values)
        if cells > cap.max_cells:
            raise ValidationError(
                _("%(what)s的单元格超过%(max_cells)s个，超出上限，请分批导入。")
                % {"what": what, "max_cells": cap.max_cells}
            )
        # The width counts up to the last cell filled: only a row longer than the cap can be too wide.
        if len(values) <= cap.max_columns:
            yield number, tuple(values)
            continue
        width = next((i + 1 for i in range(len(values) - 1, -1, -1) if values[i] not in (None, "")), 0)
        if width > cap.max_columns:
            raise ValidationError(
                _("%(what)s第%(number)s行有%(width)s列，超过上限%(max_columns)s列，请删除多余的列。")
                % {"what": what, "number": number, "width": width, "max_columns": cap.max_columns}
            )
        yield number, tuple(values)


def xlsx_rows(file, *, max_rows: int, what: str = gettext_lazy("Excel文件")) -> Iterator[tuple[int, tuple]]:
    """(row number, values) of the first sheet, header included; the pre-check runs before the first row."""
    cap = limits()
    row_cap = cap.row_cap(max_rows)
    _check_file(file, what, cap)
    _check_zip(file, what, cap, max_rows)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ValidationError(
            _("无法读取该文件（文件已损坏或不是Excel工作簿），请上传 .xlsx 格式的%(what)s。") % {"what": what}
        ) from exc
    if not workbook.worksheets:
        workbook.close()
        raise SheetRefused(_("%(what)s中没有工作表。") % {"what": what})
    sheet = workbook.worksheets[0]
    _check_dimension(sheet, what, cap, row_cap)
    # Rows are no longer padded to the declared width and height: only the cells present are read.
    sheet.reset_dimensions()
    return _closing(workbook, _capped(_parsed(sheet, what), what, cap, row_cap))


def _parsed(sheet, what: str) -> Iterator[tuple]:
    rows = sheet.iter_rows(values_only=True)
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # a damaged member (bad CRC, broken XML) surfaces while parsing
            raise ValidationError(
                _("%(what)s已损坏，无法读取，请在Excel中重新保存后再上传。") % {"what": what}
            ) from exc
        yield values


def _closing(workbook, rows: Iterator) -> Iterator:
    try:
        yield from rows
    finally:
        workbook.close()


def csv_rows(file, *, max_rows: int, what: str = gettext_lazy("CSV文件")) -> Iterator[tuple[int, tuple]]:
    """(row number, values) of a CSV saved by Excel in UTF-8 or in GBK (Excel's "CSV（逗号分隔）" on
    a Chinese Windows); the pre-check runs on the bytes before the first row."""
    return csv_text_rows(csv_text(file, max_rows=max_rows, what=what), max_rows=max_rows, what=what)


def csv_text_rows(text: str, *, max_rows: int, what: str = gettext_lazy("CSV文件")) -> Iterator[tuple[int, tuple]]:
    """(row number, values) of a CSV's text that passed ``csv_text``, within the caps."""
    cap = limits()
    return _capped(_csv_parsed(text, what), what, cap, cap.row_cap(max_rows))


def csv_text(file, *, max_rows: int, what: str = gettext_lazy("CSV文件")) -> str:
    """The pre-check of a CSV upload on its bytes (size, NUL, encoding, lines), then its decoded text."""
    cap = limits()
    row_cap = cap.row_cap(max_rows)
    _check_file(file, what, cap)
    raw = file.read(cap.max_file_bytes + 1)
    if b"\x00" in raw:
        raise SheetRefused(
            _(
                "%(what)s含有空字符（NUL），不是文本CSV（可能是Excel或“Unicode文本”格式），请在Excel中另存为“CSV UTF-8”或“CSV（逗号分隔）”。"
            )
            % {"what": what}
        )
    for encoding in uploads.TEXT_ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SheetRefused(_("无法识别%(what)s的编码，请保存为UTF-8或GBK编码的CSV。") % {"what": what})
    if not text.strip():
        raise SheetRefused(_("上传的%(what)s没有内容，请选择填好数据的文件。") % {"what": what})
    if text.count("\n") > row_cap:
        raise SheetRefused(
            _("%(what)s有%(count)s行，超过本导入的上限%(row_cap)s行，请分批导入。")
            % {"what": what, "count": text.count(chr(10)), "row_cap": row_cap}
        )
    return text


def _csv_parsed(text: str, what: str) -> Iterator[list]:
    reader = csv.reader(io.StringIO(text))
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ValidationError(
                _("%(what)s第%(line_num)s行格式错误，无法读取：%(exc)s。")
                % {"what": what, "line_num": reader.line_num, "exc": exc}
            ) from exc
        yield values


def table_rows(file, filename: str, *, max_rows: int) -> Iterator[tuple[int, tuple]]:
    """Rows of an .xlsx or a .csv upload, chosen by its name and confirmed by its content. A name with no
    extension (an API client may send none) is read as a workbook, whose content check refuses what is not one;
    another extension is refused."""
    name = (filename or "").lower()
    if name.endswith(".csv"):
        return csv_rows(file, max_rows=max_rows)
    if name.endswith(".xlsx") or "." not in name.rsplit("/", 1)[-1]:
        return xlsx_rows(file, max_rows=max_rows)
    raise SheetRefused(_("只支持 .xlsx 或 .csv 文件。"))


def read_xlsx(
    file,
    columns: Iterable[str],
    *,
    required: Iterable[str] | None = None,
    max_rows: int,
    too_many: str = gettext_lazy("一次最多导入{max_rows}行，请分批导入。"),
    what: str = gettext_lazy("Excel文件"),
) -> list[tuple[int, dict]]:
    """(row number, {column: value}) for each non-empty row; every missing required column
    (all of ``columns`` unless ``required`` is given) is named in one error."""
    return _keyed(
        xlsx_rows(file, max_rows=max_rows, what=what), columns, required=required, max_rows=max_rows, too_many=too_many
    )


def read_table(
    file,
    filename: str,
    columns: Iterable[str],
    *,
    required: Iterable[str] | None = None,
    max_rows: int,
    too_many: str = "一次最多导入{max_rows}行，请分批导入。",
) -> list[tuple[int, dict]]:
    """As ``read_xlsx``, for an .xlsx or a .csv upload (chosen by its name): a CSV is read at the speed of
    the csv module, where openpyxl spends most of a large import's time parsing the sheet's XML."""
    return _keyed(
        table_rows(file, filename, max_rows=max_rows), columns, required=required, max_rows=max_rows, too_many=too_many
    )


def header_index(rows: Iterator, columns, *, required) -> dict[str, int]:
    """The first row read as the header: the position of each of ``columns`` it has; every missing required
    column (all of ``columns`` unless ``required`` is given) is named in one error."""
    columns = tuple(columns)
    required = columns if required is None else tuple(required)
    header = [str(c).strip() if c is not None else "" for c in next(rows, (0, ()))[1]]
    missing = [c for c in required if c not in header]
    if missing:
        rows.close()
        raise ValidationError(_("第1行缺少列：%(names)s。") % {"names": _("、").join(missing)})
    return {name: header.index(name) for name in columns if name in header}


def keyed(rows, columns, *, required, max_rows: int, too_many: str) -> list[tuple[int, dict]]:
    """(row number, {column: value}) of each non-empty row after the header."""
    return _keyed(rows, columns, required=required, max_rows=max_rows, too_many=too_many)


def _keyed(rows, columns, *, required, max_rows: int, too_many: str) -> list[tuple[int, dict]]:
    index = header_index(rows, columns, required=required)
    names, positions = list(index), list(index.values())
    reach = max(positions, default=-1)  # a row at least this long has every column: one C call picks them
    pick = itemgetter(*positions) if len(positions) > 1 else (lambda values: tuple(values[i] for i in positions))
    out = []
    for number, values in rows:
        # Empty: every cell None or "" (counted in C; the same comparisons as ``v in (None, "")``).
        if values.count(None) + values.count("") == len(values):
            continue
        if len(values) > reach:
            out.append((number, dict(zip(names, pick(values), strict=True))))
        else:
            out.append((number, {name: values[i] if i < len(values) else None for name, i in index.items()}))
        if len(out) > max_rows:
            rows.close()
            raise ValidationError(too_many.format(max_rows=max_rows))
    return out


def cell_text(value) -> str:
    """A cell as text: Excel stores typed codes like 0101 or 2024 as floats, so 2024.0 reads "2024"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
