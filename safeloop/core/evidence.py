"""Evidence files: photos and PDFs that prove a hazard was rectified.

The type is sniffed from the content, never taken from the file name or the client's claim.
Files are stored through Django's default storage (filesystem or S3-compatible, chosen by
settings only) under a content-hash name, so the user's file name never reaches a path and
the same photo uploaded twice is stored once. The SHA-256 goes into the hazard's event chain.
"""

from __future__ import annotations

import hashlib
import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import filetype
import pillow_heif
from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from safeloop.core.errors import TooLarge, UnsupportedType

# HEIC/HEIF straight from phone cameras opens through Pillow once registered.
pillow_heif.register_heif_opener()

EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/heic": ".heic",
    "image/heif": ".heif",
    "application/pdf": ".pdf",
}
IMAGE_MAX_PIXELS = 40_000_000  # a phone's 50 Mpx mode is resized to ~12 Mpx on upload by the browsers in use
THUMBNAIL_SIDE = 480
SNIFF_BYTES = 4096
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class StoredEvidence:
    name: str
    thumbnail_name: str | None
    sha256: str
    content_type: str
    size: int
    original_name: str

    def file_fields(self) -> dict[str, Any]:
        """The columns of a `core.models.StoredFile` row for this file."""
        return {
            "file": self.name,
            "thumbnail": self.thumbnail_name or "",
            "original_name": self.original_name,
            "sha256": self.sha256,
            "content_type": self.content_type,
            "size": self.size,
        }


def sniff_content_type(head: bytes) -> str | None:
    """The accepted content type of a file starting with `head`, or None."""
    if head[4:8] == b"ftyp":
        # libheif knows more HEIF brands (heix, mif1 …) than filetype does.
        mime = pillow_heif.get_file_mimetype(head)
        return mime if mime in EXTENSIONS else None
    kind = filetype.guess(head)
    return kind.mime if kind and kind.mime in EXTENSIONS else None


def evidence_check(*, upload: File) -> str:
    """The accepted content type of an upload, checked on its declared size and its first bytes
    without storing anything (so several files can be checked before any is stored); raises
    `TooLarge` or `UnsupportedType` like `evidence_store`."""
    _check_size(upload.size)
    head = _head(upload)
    content_type = sniff_content_type(head)
    if content_type is None:
        raise _unsupported(head, upload)
    if content_type.startswith("image/"):
        _check_pixels(upload)
    return content_type


def image_max_pixels() -> int:
    return getattr(settings, "SAFELOOP_IMAGE_MAX_PIXELS", IMAGE_MAX_PIXELS)


def _check_pixels(upload: File) -> None:
    """Refuse an image whose dimensions exceed the pixel limit before anything decodes it: a
    small file can declare a huge image (a decompression bomb) and take the memory of the
    server. Pillow reads only the header here; its own bomb check uses the same limit."""
    upload.seek(0)
    limit = image_max_pixels()
    Image.MAX_IMAGE_PIXELS = limit  # Pillow warns above, and refuses above twice this
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(limit) from None
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        reason = "图片无法读取：文件可能已损坏"
        raise UnsupportedType(reason, fields={"file": reason}) from exc
    if width * height > limit:
        raise _too_many_pixels(limit)


def _too_many_pixels(limit: int) -> TooLarge:
    reason = f"图片像素过多：不能超过 {limit / 10_000:g} 万像素，请缩小后再上传"
    return TooLarge(reason, fields={"file": reason}, code="image_too_large")


def evidence_store(*, upload: File, folder: str) -> StoredEvidence:
    """Check, hash and store one upload (and its thumbnail) under `folder`."""
    content_type = evidence_check(upload=upload)
    sha256, size = _hash(upload)
    thumbnail = _thumbnail(upload) if content_type.startswith("image/") else None
    base = f"{folder.strip('/')}/{sha256}"
    name = _save(f"{base}{EXTENSIONS[content_type]}", upload)
    thumbnail_name = _save(f"{base}.thumb.jpg", thumbnail) if thumbnail else None
    original_name = os.path.basename(upload.name or "")[:255]
    return StoredEvidence(name, thumbnail_name, sha256, content_type, size, original_name)


def _max_bytes() -> int:
    return settings.SAFELOOP_EVIDENCE_MAX_BYTES


def _check_size(size: int | None) -> None:
    if size is not None and size > _max_bytes():
        limit_mb = _max_bytes() / (1024 * 1024)
        message = _("文件过大：照片或证明文件不能超过 %(mb)s MB") % {"mb": f"{limit_mb:g}"}
        raise TooLarge(message, fields={"file": _("文件不能超过 %(mb)s MB") % {"mb": f"{limit_mb:g}"}})


def _head(upload: File) -> bytes:
    upload.seek(0)
    return upload.read(SNIFF_BYTES)


# What a detected type is, in the words of the person who chose the file (never the MIME type).
KIND_WORDS = (
    ("image/", _("其他格式的图片")),
    ("video/", _("视频")),
    ("audio/", _("音频")),
    ("application/zip", _("压缩包")),
    ("application/x-rar", _("压缩包")),
    ("application/x-7z", _("压缩包")),
    ("application/gzip", _("压缩包")),
    ("application/msword", _("Word 文档")),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml", _("Word 文档")),
    ("application/vnd.ms-excel", _("Excel 表格")),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml", _("Excel 表格")),
)


def kind_in_words(mime: str | None) -> str:
    """A file's detected type as a user names it ("视频", "Word 文档"), else 无法识别的文件."""
    for prefix, words in KIND_WORDS:
        if mime and mime.startswith(prefix):
            return str(words)
    return str(_("无法识别的文件"))


def _unsupported(head: bytes, upload: File) -> UnsupportedType:
    kind = filetype.guess(head)
    name = getattr(upload, "name", "") or ""
    reason = _("“%(name)s”是%(kind)s，不能作为照片或证明：请上传 JPEG、PNG、WebP、HEIC 照片或 PDF 文件") % {
        "name": Path(name).name or _("所选文件"),
        "kind": kind_in_words(kind.mime if kind else None),
    }
    return UnsupportedType(reason, fields={"file": reason})


def _hash(upload: File) -> tuple[str, int]:
    """Stream once: hash and count, stopping as soon as the size limit is passed
    (the declared size is the client's word)."""
    digest, size = hashlib.sha256(), 0
    for chunk in upload.chunks(_CHUNK):
        size += len(chunk)
        _check_size(size)
        digest.update(chunk)
    return digest.hexdigest(), size


def _thumbnail(upload: File) -> ContentFile:
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.draft("RGB", (THUMBNAIL_SIDE, THUMBNAIL_SIDE))  # JPEG: decode at reduced scale
            small = ImageOps.exif_transpose(image).convert("RGB")
    except Image.DecompressionBombError:
        raise _too_many_pixels(image_max_pixels()) from None
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        reason = str(_("图片无法读取：文件可能已损坏"))
        raise UnsupportedType(reason, fields={"file": reason}) from exc
    small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    out = io.BytesIO()
    small.save(out, "JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue())


def _save(name: str, content: File) -> str:
    """Content-addressed: a name that exists already holds these very bytes."""
    if default_storage.exists(name):
        return name
    content.seek(0)
    return default_storage.save(name, content)


def evidence_response(*, name: str, content_type: str, original_name: str) -> FileResponse:
    """A stored evidence file for download: always an attachment (never rendered by the browser
    as a page of this site), under the extension of its sniffed type whatever the uploader called
    it, with `Content-Security-Policy: sandbox` (no script, no same-origin rights, should a browser
    render it after all) and `nosniff` (the type said is the type meant)."""
    stem = os.path.splitext(os.path.basename(original_name))[0] or "证据"
    extension = ".jpg" if name.endswith(".thumb.jpg") else EXTENSIONS.get(content_type, ".bin")
    response = FileResponse(
        default_storage.open(name), as_attachment=True, filename=f"{stem}{extension}", content_type=content_type
    )
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


EXIF_IFD = 0x8769
DATETIME_ORIGINAL, OFFSET_TIME_ORIGINAL, DATETIME = 36867, 36881, 306


def exif_taken_at(upload: File) -> Any:
    """When a photo was taken by its own EXIF (DateTimeOriginal, with OffsetTimeOriginal when the
    camera wrote one, else the time is read as Asia/Shanghai), or None. The phone keeps EXIF
    when it resizes a photo (static/js/offline.js), so a photo queued offline keeps its time."""
    from datetime import datetime, timedelta, timezone

    from django.utils import timezone as dj_timezone

    try:
        upload.seek(0)
        with Image.open(upload) as image:
            exif = image.getexif()
            ifd = exif.get_ifd(EXIF_IFD)
            raw = ifd.get(DATETIME_ORIGINAL) or exif.get(DATETIME)
            offset = ifd.get(OFFSET_TIME_ORIGINAL)
        if not raw:
            return None
        taken = datetime.strptime(str(raw).strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")  # noqa: DTZ007 - EXIF times are naive; made aware below
        if offset and len(str(offset)) >= 6:
            sign = -1 if str(offset)[0] == "-" else 1
            hours, minutes = int(str(offset)[1:3]), int(str(offset)[4:6])
            return taken.replace(tzinfo=timezone(sign * timedelta(hours=hours, minutes=minutes)))
        return dj_timezone.make_aware(taken)
    except (OSError, ValueError, UnidentifiedImageError, SyntaxError):
        return None
    finally:
        upload.seek(0)
