"""The bad-file corpus: files a careless user or an attacker uploads to an import, built in code.

Every file is generated deterministically at test time (no binaries in the repository): openpyxl
writes a real workbook, and where a file must lie (a declared dimension, a zip bomb) its sheet XML
is written by hand into that workbook's zip. ``CORPUS`` names each file with the words a user
should see in the refusal; ``build(name, header, bad_row)`` returns (file name, bytes).
"""

import io
import struct
import zipfile
from dataclasses import dataclass
from functools import cache

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
MB = 1024 * 1024
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
# Enough of a Windows executable for any sniffer: the DOS header, its stub and the PE signature.
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8" + b"\x00" * 43 + b"\x80\x00\x00\x00"
    b"\x0e\x1f\xba\x0e\x00\xb4\x09\xcd\x21\xb8\x01\x4c\xcd\x21This program cannot be run in DOS mode.\r\r\n$"
    + b"\x00" * 7
    + b"PE\x00\x00\x4c\x01\x03\x00"
    + b"\x00" * 64
)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def workbook(rows=()) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(ref: str, value) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def with_sheet_xml(chunks, *, level: int = 6) -> bytes:
    """A real workbook whose first sheet's XML is replaced by ``chunks`` (str pieces, streamed)."""
    source = zipfile.ZipFile(io.BytesIO(workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as target:
        for info in source.infolist():
            if info.filename == SHEET:
                with target.open(SHEET, "w") as sheet:
                    for chunk in chunks:
                        sheet.write(chunk.encode())
            else:
                target.writestr(info.filename, source.read(info.filename))
    return out.getvalue()


def huge_dimension(last: str, header) -> bytes:
    """A few KB that declare a vast range and fill its last cell (the 4.8 KB A1:XFD20000 file of
    issue #16): openpyxl pads every row in between to the declared width."""
    cells = "".join(_cell(f"{chr(65 + i)}1", h) for i, h in enumerate(header[:26]))
    row = int(last.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    return with_sheet_xml(
        [
            SHEET_HEAD,
            f'<dimension ref="A1:{last}"/><sheetData><row r="1">{cells}</row>',
            f'<row r="{row}">{_cell(last, "x")}</row></sheetData></worksheet>',
        ]
    )


def far_row(header) -> bytes:
    """Declares A1:A1 but holds a cell on row 1,048,576: the dimension lies, reading must still stop."""
    cells = "".join(_cell(f"{chr(65 + i)}1", h) for i, h in enumerate(header[:26]))
    return with_sheet_xml(
        [
            SHEET_HEAD,
            f'<dimension ref="A1:A1"/><sheetData><row r="1">{cells}</row>',
            f'<row r="1048576">{_cell("A1048576", "x")}</row></sheetData></worksheet>',
        ]
    )


def far_column(header) -> bytes:
    """Declares A1:A2 but row 2 has a cell in the last column, XFD."""
    cells = "".join(_cell(f"{chr(65 + i)}1", h) for i, h in enumerate(header[:26]))
    return with_sheet_xml(
        [
            SHEET_HEAD,
            f'<dimension ref="A1:A2"/><sheetData><row r="1">{cells}</row>',
            f'<row r="2">{_cell("XFD2", "x")}</row></sheetData></worksheet>',
        ]
    )


def bomb(unpacked_mb: int) -> bytes:
    """A sheet whose one cell holds ``unpacked_mb`` MB of one letter: a few hundred KB on disk."""
    block = "A" * MB

    def chunks():
        yield SHEET_HEAD + '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
        for _ in range(unpacked_mb):
            yield block
        yield "</t></is></c></row></sheetData></worksheet>"

    return with_sheet_xml(chunks(), level=9)


def scattered_bomb(members: int = 20) -> bytes:
    """Many members just under the per-member size that the ratio check looks at, each a bomb."""
    source = zipfile.ZipFile(io.BytesIO(workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        for n in range(members):
            target.writestr(f"xl/media/padding{n}.bin", b"\0" * (MB - 1))
    return out.getvalue()


def lying_bomb(unpacked_mb: int, declared: int = 1000) -> bytes:
    """A zip bomb whose directory declares its sheet ``declared`` bytes long: it passes every size
    check, and Python's zipfile then inflates no more than the declared bytes (the sheet is cut
    short and refused as damaged), which is why the pre-check may trust declared sizes."""
    data = bytearray(bomb(unpacked_mb))
    at = data.find(b"PK\x01\x02")
    while at != -1:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_length] == SHEET.encode():
            struct.pack_into("<I", data, at + 24, declared)  # central directory: uncompressed size
            local = struct.unpack_from("<I", data, at + 42)[0]
            struct.pack_into("<I", data, local + 22, declared)  # local header: uncompressed size
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


def docx() -> bytes:
    """The skeleton of a Word document: a zip with [Content_Types].xml and word/, not xl/."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", '<?xml version="1.0"?><document/>')
    return out.getvalue()


def ole(stream: str) -> bytes:
    """An OLE2 compound file header and a directory entry naming ``stream`` (Workbook = .xls)."""
    name = stream.encode("utf-16-le")
    return bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504 + name + b"\x00" * (128 - len(name))


@dataclass(frozen=True)
class BadFile:
    name: str
    filename: str
    # What the refusal must say (a regular expression, searched in the page or the API body).
    says: str
    # Refused by the pre-check, before a row is parsed (datahub.sheets.SheetRefused).
    precheck: bool


CORPUS = [
    BadFile("pdf_named_xlsx", "数据.xlsx", r"实际内容识别为 \.pdf 文件.*请上传 \.xlsx", True),
    BadFile("exe_named_xlsx", "数据.xlsx", r"实际内容识别为 \.exe 文件.*请上传 \.xlsx", True),
    BadFile("docx_named_xlsx", "数据.xlsx", r"实际内容是Word文档.*请上传 \.xlsx", True),
    BadFile("old_xls", "数据.xlsx", r"旧版 \.xls 文件", True),
    BadFile("zero_bytes", "数据.xlsx", r"空文件（0字节）", True),
    BadFile("empty_workbook", "数据.xlsx", r"第1行缺少列|文件为空", False),
    BadFile("wrong_columns", "数据.xlsx", r"第1行缺少列|表头缺少", False),
    BadFile("bad_rows", "数据.xlsx", r"第2行", False),
    BadFile("huge_dimension", "数据.xlsx", r"声明的数据范围A1:XFD20000", True),
    BadFile("huge_dimension_max", "数据.xlsx", r"声明的数据范围A1:XFD1048576", True),
    BadFile("dimension_lies_rows", "数据.xlsx", r"行（含空行），超出本导入的上限", False),
    BadFile("dimension_lies_columns", "数据.xlsx", r"第2行有16384列，超过上限", False),
    BadFile("zip_bomb", "数据.xlsx", r"解压后有300\.\dMB，超过本导入的上限.*压缩炸弹", True),
    BadFile("zip_bomb_ratio", "数据.xlsx", r"压缩比为\d+倍，超过上限.*压缩炸弹", True),
    BadFile("zip_bomb_scattered", "数据.xlsx", r"“全部内容”压缩比为\d+倍，超过上限", True),
    BadFile("zip_bomb_lying_sizes", "数据.xlsx", r"已损坏", False),
    # CSV: accepted where an import takes CSV (UTF-8 or GBK); refused as "not .xlsx" elsewhere.
    BadFile("csv_with_nul", "数据.csv", r"空字符（NUL）|请上传 \.xlsx", True),
    BadFile("csv_utf16", "数据.csv", r"空字符（NUL）|请上传 \.xlsx", True),
    BadFile("csv_not_utf8_nor_gbk", "数据.csv", r"无法识别CSV文件的编码|请上传 \.xlsx", True),
]


@cache
def build(name: str, header: tuple = ("编码",), bad_row: tuple = ("?",)) -> bytes:
    """The bytes of the corpus file ``name``; ``header``/``bad_row`` fit it to an importer."""
    if name == "pdf_named_xlsx":
        return PDF
    if name == "exe_named_xlsx":
        return EXE
    if name == "docx_named_xlsx":
        return docx()
    if name == "old_xls":
        return ole("Workbook")
    if name == "zero_bytes":
        return b""
    if name == "empty_workbook":
        return workbook()
    if name == "wrong_columns":
        return workbook([("甲", "乙", "丙"), (1, 2, 3)])
    if name == "bad_rows":
        return workbook([header, bad_row])
    if name == "huge_dimension":
        return huge_dimension("XFD20000", header)
    if name == "huge_dimension_max":
        return huge_dimension("XFD1048576", header)
    if name == "dimension_lies_rows":
        return far_row(header)
    if name == "dimension_lies_columns":
        return far_column(header)
    if name == "zip_bomb":
        return bomb(300)
    if name == "zip_bomb_ratio":
        return bomb(20)
    if name == "zip_bomb_scattered":
        return scattered_bomb()
    if name == "zip_bomb_lying_sizes":
        return lying_bomb(20)
    if name == "csv_with_nul":
        return (",".join(header) + "\n" + ",".join(map(str, bad_row)) + "\x00\n").encode("utf-8")
    if name == "csv_utf16":
        return (",".join(header) + "\n").encode("utf-16")
    if name == "csv_not_utf8_nor_gbk":
        return b"\xff\xfe\xfd\xfc" * 4 + b"\n"
    raise KeyError(name)
