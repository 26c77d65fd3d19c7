"""Code lists of the identity domain, as data.

- 职务级别: GB/T 12407-2008 《职务级别名称和代码》 (leadership levels; 2xx/4xx series are
  not used by the platform yet).
- 职级: 《公务员职务与职级并行规定》 (2019), the 综合管理类 sequence.
- GB 32100-2015 unified social credit code (统一社会信用代码) alphabet and weights.
- GB 11643-1999 citizen identity number check digit.

Office-space standards key on these codes; the rank → standard mapping lives with the
office-space rules, not here.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class PostLevel(models.TextChoices):
    """GB/T 12407-2008 职务级别代码."""

    NATIONAL_PRINCIPAL = "101", _("国家级正职")
    NATIONAL_DEPUTY = "102", _("国家级副职")
    PROVINCIAL_PRINCIPAL = "111", _("省部级正职")
    PROVINCIAL_DEPUTY = "112", _("省部级副职")
    BUREAU_PRINCIPAL = "121", _("厅局级正职")
    BUREAU_DEPUTY = "122", _("厅局级副职")
    DIVISION_PRINCIPAL = "131", _("县处级正职")
    DIVISION_DEPUTY = "132", _("县处级副职")
    SECTION_PRINCIPAL = "141", _("乡科级正职")
    SECTION_DEPUTY = "142", _("乡科级副职")
    CLERK = "150", _("科员级")
    OFFICER = "160", _("办事员级")
    UNDETERMINED = "199", _("未定职")


class Rank(models.TextChoices):
    """职级 of the 综合管理类 sequence (2019 parallel rank system), highest first."""

    INSPECTOR_1 = "inspector_1", _("一级巡视员")
    INSPECTOR_2 = "inspector_2", _("二级巡视员")
    RESEARCHER_1 = "researcher_1", _("一级调研员")
    RESEARCHER_2 = "researcher_2", _("二级调研员")
    RESEARCHER_3 = "researcher_3", _("三级调研员")
    RESEARCHER_4 = "researcher_4", _("四级调研员")
    PRINCIPAL_STAFF_1 = "principal_staff_1", _("一级主任科员")
    PRINCIPAL_STAFF_2 = "principal_staff_2", _("二级主任科员")
    PRINCIPAL_STAFF_3 = "principal_staff_3", _("三级主任科员")
    PRINCIPAL_STAFF_4 = "principal_staff_4", _("四级主任科员")
    STAFF_1 = "staff_1", _("一级科员")
    STAFF_2 = "staff_2", _("二级科员")


# GB 32100-2015: 31 characters (no I, O, Z, S, V), weights for positions 1–17.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# GB 11643-1999: weights for the first 17 digits and the check character by remainder.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

# 行政区划代码 (GB/T 2260): two digits each for province, city, county; the first
# digit of a province code is 1–8 (plus 9 for Hong Kong/Macau/Taiwan use in some lists).
REGION_CODE_PATTERN = r"^[1-9]\d{5}$"

# 手机 or landline with area code, as entered in a directory.
PHONE_PATTERN = r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$"


# --- Uploaded files ------------------------------------------------------------------------------
# House limits, not regulations, kept here as data so that one place says what an upload may cost.
# A deployment may override any of them with the SHEET_LIMITS setting (a dict of the same names).

MB = 1024 * 1024


@dataclass(frozen=True)
class SheetLimits:
    """What an uploaded .xlsx or .csv may hold before a single row is parsed.

    The largest legitimate import (200,000 asset cards × 16 columns written by openpyxl) is 10 MB
    on disk and 156 MB of sheet XML, a compression ratio of 15; the limits leave room above that
    and refuse what only a crafted file reaches (a ratio of 1,000+ is a zip bomb).
    """

    max_file_bytes: int = 30 * MB
    # Decompressed budget: a floor plus an allowance per permitted data row, capped overall, so an
    # import of 5,000 vehicles does not accept the 256 MB that 200,000 asset cards may need.
    base_uncompressed_bytes: int = 16 * MB
    uncompressed_bytes_per_row: int = 2048
    max_uncompressed_bytes: int = 256 * MB
    max_compression_ratio: int = 100
    # Tiny members (styles, rels) compress by large ratios harmlessly; only big ones are judged.
    ratio_applies_above_bytes: int = 1 * MB
    max_zip_members: int = 1000
    max_columns: int = 256
    max_cells: int = 4_000_000
    # Blank or formatted-only rows tolerated beyond the importer's row limit before we stop reading.
    spare_rows: int = 1000

    def row_cap(self, max_rows: int) -> int:
        """Physical rows (header, data and blank) read at most for an import of ``max_rows`` rows."""
        return max_rows + 1 + self.spare_rows

    def uncompressed_cap(self, max_rows: int) -> int:
        return min(
            self.max_uncompressed_bytes, self.base_uncompressed_bytes + max_rows * self.uncompressed_bytes_per_row
        )


SHEET_LIMITS = SheetLimits()

# Attachments are judged by their bytes: the extension says what the file claims to be, the content
# must be that. Each allowed extension names its content family (see datahub/uploads.py).
ATTACHMENT_FAMILIES = {
    "pdf": "pdf",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "png": "png",
    "doc": "ole_word",
    "xls": "ole_excel",
    "docx": "ooxml_word",
    "xlsx": "ooxml_excel",
    "txt": "text",
}
FAMILY_NAMES = {
    "pdf": _("PDF文档"),
    "jpeg": _("JPEG图片"),
    "png": _("PNG图片"),
    "ole_word": _("Word 97-2003文档（.doc）"),
    "ole_excel": _("Excel 97-2003工作簿（.xls）"),
    "ooxml_word": _("Word文档（.docx）"),
    "ooxml_excel": _("Excel工作簿（.xlsx）"),
    "text": _("文本文件"),
}


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit row (the trail is append-only)."""
