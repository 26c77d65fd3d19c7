"""What an uploaded file is, judged by its bytes rather than its name.

An extension is a claim; a renamed .exe keeps its executable header whatever it is called. The
magic numbers come from puremagic (pure Python, no libmagic); the two container formats it cannot
tell apart by their first bytes get a minimal look inside: Office Open XML files are zips whose
[Content_Types].xml sits beside word/ or xl/, and Office 97-2003 files are OLE2 compound files
naming a WordDocument or Workbook stream.
"""

import zipfile
from pathlib import PurePath

import puremagic
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import rules

# Django's own wording reads 文件扩展“exe”是不被允许。: say it as people do, with what is accepted.
EXTENSION_REFUSED = gettext_lazy("不能上传“.%(extension)s”格式的文件；可以上传的格式：%(allowed_extensions)s。")


def extension_validator(allowed) -> FileExtensionValidator:
    """The file-type check of every upload field, with the platform's Chinese refusal."""
    return FileExtensionValidator(list(allowed), message=EXTENSION_REFUSED)


HEAD_BYTES = 64 * 1024
# Office 97-2003 stream names as stored in an OLE2 directory (UTF-16LE).
OLE_WORD = "WordDocument".encode("utf-16-le")
OLE_EXCEL = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_SIGNATURE = b"PK\x03\x04"
# Bytes other than tab, line feed, form feed and carriage return below 0x20 do not occur in text.
CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
TEXT_ENCODINGS = ("utf-8-sig", "gb18030")


def _read(file, size: int | None = None) -> bytes:
    file.seek(0)
    data = file.read() if size is None else file.read(size)
    file.seek(0)
    return data


def magic_guess(head: bytes) -> str:
    """puremagic's most confident reading of ``head`` as an extension (".exe"), or ""."""
    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        return ""
    named = [m for m in matches if m.extension]
    if not named:
        return ""
    # puremagic lists by confidence; prefer a candidate with a MIME type (".exe" over ".zap").
    with_mime = [m for m in named if m.mime_type]
    return (with_mime or named)[0].extension.lower()


def ooxml_family(file) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        file.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    # The main part's name may vary by producer (WPS, LibreOffice); its folder does not.
    if any(name.startswith("word/") for name in names):
        return "ooxml_word"
    if any(name.startswith("xl/") for name in names):
        return "ooxml_excel"
    return None


def _is_text(data: bytes) -> bool:
    if any(b in CONTROL for b in data[:HEAD_BYTES]):
        return False
    for encoding in TEXT_ENCODINGS:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def family_of(file, *, max_bytes: int) -> str | None:
    """The content family of ``file`` (a key of rules.FAMILY_NAMES), or None if it is none of them."""
    head = _read(file, HEAD_BYTES)
    if head.startswith(ZIP_SIGNATURE):
        return ooxml_family(file)
    if head.startswith(OLE_SIGNATURE):
        data = _read(file, max_bytes)
        if OLE_WORD in data:
            return "ole_word"
        if any(name in data for name in OLE_EXCEL):
            return "ole_excel"
        return None
    guess = magic_guess(head)
    if guess == ".pdf":
        return "pdf"
    if guess in (".jpg", ".jpeg", ".jpe", ".jfif"):
        return "jpeg"
    if guess == ".png":
        return "png"
    if _is_text(_read(file, max_bytes)):
        return "text"
    return None


def describe(file) -> str:
    """A few words on what the bytes look like, for an error message ("实际内容识别为 .exe 文件")."""
    head = _read(file, HEAD_BYTES)
    if not head:
        return _("文件是空的")
    if head.startswith(ZIP_SIGNATURE):
        family = ooxml_family(file)
        return _("实际内容是%(value)s") % {"value": rules.FAMILY_NAMES[family]} if family else _("实际内容是zip压缩包")
    guess = magic_guess(head)
    if guess:
        return _("实际内容识别为 %(guess)s 文件") % {"guess": guess}
    return _("实际内容是文本") if _is_text(head) else _("无法识别其内容")


def check_content(file, name: str, *, max_bytes: int) -> None:
    """Refuse ``file`` unless its bytes are what its extension says (rules.ATTACHMENT_FAMILIES)."""
    extension = PurePath(name).suffix.lower().lstrip(".")
    expected = rules.ATTACHMENT_FAMILIES.get(extension)
    if expected is None:
        return  # the extension validator refuses it with its own message
    if getattr(file, "size", 0) > max_bytes:
        return  # the size validator refuses it; no point reading it
    if family_of(file, max_bytes=max_bytes) != expected:
        kind = rules.FAMILY_NAMES[expected]
        raise ValidationError(
            _("文件“%(name)s”的扩展名是 .%(extension)s，但内容不是%(kind)s（%(describe)s），请上传真实的%(kind)s。")
            % {"name": PurePath(name).name, "extension": extension, "kind": kind, "describe": describe(file)}
        )
