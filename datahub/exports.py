"""Excel export shared by every ledger list (openpyxl write-only mode, rows streamed from an iterator)."""

import tempfile
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> FileResponse:
    """Write ``rows`` to a temporary .xlsx (constant memory) and send it as a download."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=filename.rsplit(".", 1)[0][:31])
    for index, header in enumerate(headers):
        # Column widths from the header (CJK characters count double); write-only sheets set them up front.
        sheet.column_dimensions[get_column_letter(index + 1)].width = max(10, 2 * len(str(header)) + 4)
    sheet.append(list(headers))
    for row in rows:
        sheet.append(["" if v is None else v for v in row])
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after sending
    workbook.save(tmp)
    tmp.seek(0)
    response = FileResponse(tmp, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
