"""Attachments are judged by their bytes: each allowed extension accepts only its own content."""

import io

import pytest
from django.core.exceptions import ValidationError

from datahub import uploads
from tests.badfiles import EXE, PDF, docx, ole, workbook

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32
LIMIT = 10 * 1024 * 1024

REAL = {
    "说明.pdf": PDF,
    "现场.jpg": JPEG,
    "现场.jpeg": JPEG,
    "现场.png": PNG,
    "报告.docx": docx(),
    "台账.xlsx": workbook([("编码",), ("A1",)]),
    "旧报告.doc": ole("WordDocument"),
    "旧台账.xls": ole("Workbook"),
    "说明.txt": "维修说明：空调不制冷。\n".encode(),
    "说明（GBK）.txt": "维修说明：空调不制冷。\n".encode("gbk"),
}


def check(name: str, content: bytes) -> None:
    uploads.check_content(io.BytesIO(content), name, max_bytes=LIMIT)


@pytest.mark.parametrize("name", REAL)
def test_a_real_file_of_each_allowed_type_is_accepted(name):
    check(name, REAL[name])


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("发票.pdf", EXE, r"扩展名是 \.pdf，但内容不是PDF文档（实际内容识别为 \.exe 文件）"),
        ("现场.jpg", EXE, r"内容不是JPEG图片"),
        ("现场.png", JPEG, r"内容不是PNG图片（实际内容识别为 \.(jpg|jpeg|jpe|jfif) 文件）"),
        ("报告.docx", workbook(), r"内容不是Word文档（\.docx）（实际内容是Excel工作簿（\.xlsx））"),
        ("台账.xlsx", docx(), r"内容不是Excel工作簿（\.xlsx）（实际内容是Word文档"),
        ("台账.xlsx", b"PK\x03\x04" + b"\x00" * 40, r"内容不是Excel工作簿"),
        ("旧报告.doc", ole("Workbook"), r"内容不是Word 97-2003文档"),
        ("安装包.doc", ole("SummaryInformation"), r"内容不是Word 97-2003文档"),
        ("说明.txt", EXE, r"内容不是文本文件"),
        ("说明.txt", b"\x00\x01\x02binary", r"内容不是文本文件"),
        ("空.pdf", b"", r"内容不是PDF文档（文件是空的）"),
    ],
)
def test_a_file_whose_bytes_are_not_its_extension_is_refused_in_chinese(name, content, says):
    with pytest.raises(ValidationError, match=says):
        check(name, content)


def test_the_message_names_the_file_and_asks_for_the_real_type():
    with pytest.raises(ValidationError) as refused:
        check("发票.pdf", EXE)
    assert refused.value.messages == [
        "文件“发票.pdf”的扩展名是 .pdf，但内容不是PDF文档（实际内容识别为 .exe 文件），请上传真实的PDF文档。"
    ]
