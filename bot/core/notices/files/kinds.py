"""What a file is, told by its content (magic bytes; a ZIP's members tell DOCX, PPTX and ODT apart); the name's
extension is only a hint, for text that could be HTML and for naming what a damaged file was meant to be."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath
from typing import Literal

from bot.core.i18n import _
from bot.core.notices.reader import NoticeError

Kind = Literal["pdf", "docx", "pptx", "odt", "html", "text"]

# A ZIP-based file (DOCX, PPTX, ODT) whose members would unpack to more than this is refused unopened: a real
# notice with its pictures is a few MB unpacked; a decompression bomb is gigabytes.
MAX_UNPACKED_BYTES = 100_000_000
MAX_MEMBERS = 5_000

_ODT_MIME = b"application/vnd.oasis.opendocument.text"
_HTML_START_RE = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
_HTML_EXTENSIONS = {".html", ".htm", ".xhtml"}
_NAMED_BY_EXTENSION = {".pdf": "PDF", ".docx": "Word", ".pptx": "PowerPoint", ".odt": "OpenDocument"}


def readable() -> str:
    return _(
        "Send the notice as PDF, Word (.docx), PowerPoint (.pptx), OpenDocument text (.odt), HTML, Markdown or text."
    )


def unreadable(name: str, what: str) -> NoticeError:
    return NoticeError(_("{name}: Møtebot cannot read {what}.", name=name, what=what) + " " + readable())


def damaged(name: str, kind: str) -> NoticeError:
    return NoticeError(_("{name}: the file is damaged and cannot be read as {kind}.", name=name, kind=kind))


def _binary_kind(data: bytes) -> str | None:
    """What a file we do not read is, so the answer can name it."""
    head = data[:16]
    if head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8\xff") or head[:4] in (b"GIF8", b"II*\x00", b"MM\x00*"):
        return _("pictures (a photo or a scan: send the document itself)")
    if (head.startswith(b"RIFF") and data[8:12] == b"WEBP") or data[4:12] in (b"ftypheic", b"ftypmif1", b"ftypheix"):
        return _("pictures (a photo or a scan: send the document itself)")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _("old Office files (.doc, .ppt, .xls): save it as .docx or PDF")
    if head.startswith(b"{\\rtf"):
        return _("RTF files: save it as .docx or PDF")
    if head.startswith((b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!")):
        return _("compressed archives")
    return None


def _zip_kind(data: bytes, name: str) -> Kind:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise damaged(name, _NAMED_BY_EXTENSION.get(PurePath(name).suffix.lower(), "ZIP")) from None
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES or len(members) > MAX_MEMBERS:
        raise NoticeError(
            _(
                "{name}: would unpack to more than {limit} MB; Møtebot does not open it.",
                name=name,
                limit=MAX_UNPACKED_BYTES // 1_000_000,
            )
        )
    names = {member.filename for member in members}
    if "word/document.xml" in names:
        return "docx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
        try:
            mime = archive.read("mimetype").strip()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            raise damaged(name, "OpenDocument") from None
        if mime == _ODT_MIME:
            return "odt"
        if mime.startswith(b"application/vnd.oasis.opendocument."):
            raise unreadable(name, _("OpenDocument spreadsheets, presentations or drawings"))
    if "xl/workbook.xml" in names:
        raise unreadable(name, _("spreadsheets (Excel)"))
    raise unreadable(name, _("ZIP archives"))


def detect(data: bytes, name: str) -> Kind:
    """The kind of `data`, or NoticeError naming what it is and what Møtebot reads."""
    suffix = PurePath(name).suffix.lower()
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04") or (data.startswith(b"PK") and data[2:4] in (b"\x05\x06", b"\x07\x08")):
        return _zip_kind(data, name)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with BOM: text, though it is full of zero bytes
        return "html" if suffix in _HTML_EXTENSIONS else "text"
    if what := _binary_kind(data):
        raise unreadable(name, what)
    if b"\x00" in data[:8192]:
        if suffix in _NAMED_BY_EXTENSION:
            raise damaged(name, _NAMED_BY_EXTENSION[suffix])
        raise unreadable(name, _("this kind of file"))
    if suffix in _HTML_EXTENSIONS or _HTML_START_RE.match(data[:4096].lstrip(b"\xef\xbb\xbf")):
        return "html"
    return "text"
