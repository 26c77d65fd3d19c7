"""Reading an uploaded Excel sheet for the apps' imports: one reader, one set of messages.

Each app's import validates the rows itself (its own columns and rules); what they share is
turning the first sheet into numbered rows keyed by the header, and refusing files that are not
.xlsx, lack a required column, or are too long — with the row number a civil servant sees in Excel.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from openpyxl import load_workbook


def read_xlsx(
    file,
    columns: Iterable[str],
    *,
    required: Iterable[str] | None = None,
    max_rows: int,
    too_many: str = "一次最多导入{max_rows}行，请分批导入。",
    what: str = "Excel文件",
) -> list[tuple[int, dict]]:
    """(row number, {column: value}) for each non-empty row; every missing required column
    (all of ``columns`` unless ``required`` is given) is named in one error."""
    columns = tuple(columns)
    required = columns if required is None else tuple(required)
    try:
        sheet = load_workbook(file, read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds on a file that is not .xlsx
        raise ValidationError(f"无法读取该文件，请上传 .xlsx 格式的{what}。") from exc
    rows = sheet.iter_rows(values_only=True)
    header = [str(c).strip() if c is not None else "" for c in next(rows, ())]
    missing = [c for c in required if c not in header]
    if missing:
        raise ValidationError(f"第1行缺少列：{'、'.join(missing)}。")
    index = {name: header.index(name) for name in columns if name in header}
    out = []
    for number, values in enumerate(rows, start=2):
        if not values or all(v in (None, "") for v in values):
            continue
        out.append((number, {name: values[i] if i < len(values) else None for name, i in index.items()}))
        if len(out) > max_rows:
            raise ValidationError(too_many.format(max_rows=max_rows))
    return out


def cell_text(value) -> str:
    """A cell as text: Excel stores typed codes like 0101 or 2024 as floats, so 2024.0 reads "2024"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
