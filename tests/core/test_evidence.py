"""Evidence uploads: sniffed by content, hashed while streaming, stored under a hash name."""

import hashlib
import io

import pytest
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from safeloop.core.errors import TooLarge, UnsupportedType
from safeloop.core.evidence import evidence_store, sniff_content_type

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def image_bytes(fmt: str, size=(64, 32), **save_options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, fmt, **save_options)
    return out.getvalue()


def upload(data: bytes, name: str = "现场照片.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_files(root) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


@pytest.mark.parametrize(
    ("fmt", "content_type", "extension"),
    [("JPEG", "image/jpeg", ".jpg"), ("PNG", "image/png", ".png"), ("WEBP", "image/webp", ".webp")],
)
def test_common_photo_formats_are_stored_with_a_thumbnail(fmt, content_type, extension):
    stored = evidence_store(upload=upload(image_bytes(fmt)), folder="hazards/1")
    assert stored.content_type == content_type
    assert stored.name == f"hazards/1/{stored.sha256}{extension}"
    assert stored.thumbnail_name == f"hazards/1/{stored.sha256}.thumb.jpg"
    with default_storage.open(stored.thumbnail_name) as thumb, Image.open(thumb) as image:
        assert image.format == "JPEG"


def test_heic_photo_from_a_phone_is_accepted_and_thumbnailed():
    stored = evidence_store(upload=upload(image_bytes("HEIF"), "IMG_0001.HEIC", "image/heic"), folder="h")
    assert stored.content_type == "image/heic"
    assert stored.name.endswith(".heic")
    with default_storage.open(stored.thumbnail_name) as thumb, Image.open(thumb) as image:
        assert image.size == (64, 32)


def test_pdf_is_stored_without_a_thumbnail():
    stored = evidence_store(upload=upload(PDF, "整改报告.pdf", "application/pdf"), folder="h")
    assert (stored.content_type, stored.thumbnail_name) == ("application/pdf", None)
    assert stored.name.endswith(".pdf")


def test_hash_size_and_original_name_are_recorded():
    data = image_bytes("PNG")
    stored = evidence_store(upload=upload(data, "../../整改后.png", "application/octet-stream"), folder="h")
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size == len(data)
    assert stored.original_name == "整改后.png"


def test_stored_bytes_are_the_uploaded_bytes_and_the_user_name_is_not_in_the_path(media):
    data = image_bytes("JPEG")
    stored = evidence_store(upload=File(io.BytesIO(data), name="我的照片.jpg"), folder="h")
    with default_storage.open(stored.name) as saved:
        assert saved.read() == data
    assert not any("我的照片" in name for name in stored_files(media))


def test_same_photo_uploaded_twice_is_stored_once(media):
    data = image_bytes("PNG")
    first = evidence_store(upload=upload(data), folder="h")
    second = evidence_store(upload=upload(data, "again.png"), folder="h")
    assert first.name == second.name
    assert len(stored_files(media)) == 2  # the photo and its thumbnail


def test_text_file_named_jpg_is_rejected_with_415(media):
    with pytest.raises(UnsupportedType) as caught:
        evidence_store(upload=upload("这不是图片".encode(), "photo.jpg", "image/jpeg"), folder="h")
    assert caught.value.status == 415
    assert "file" in caught.value.fields
    assert "“photo.jpg”是无法识别的文件" in caught.value.message
    assert "image/" not in caught.value.message  # never the MIME type (the user cannot read it)
    assert stored_files(media) == []


def test_executable_renamed_png_is_rejected_without_developer_words(media):
    with pytest.raises(UnsupportedType) as caught:
        evidence_store(upload=upload(EXE, "photo.png", "image/png"), folder="h")
    assert "application/" not in caught.value.fields["file"] and "不能作为照片或证明" in caught.value.fields["file"]
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("data", "words"),
    [(b"PK\x03\x04" + b"\x00" * 60, "压缩包"), (b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 60, "视频")],
)
def test_a_rejected_file_is_named_as_its_user_knows_it(media, data, words):
    with pytest.raises(UnsupportedType) as caught:
        evidence_store(upload=upload(data, "资料", "application/octet-stream"), folder="h")
    assert f"“资料”是{words}" in caught.value.message and "/" not in caught.value.message


def test_image_with_a_valid_header_but_broken_body_is_rejected(media):
    broken = image_bytes("PNG")[:40]
    with pytest.raises(UnsupportedType):
        evidence_store(upload=upload(broken, "x.png"), folder="h")
    assert stored_files(media) == []


def test_file_over_the_limit_is_rejected_with_413(settings, media):
    settings.SAFELOOP_EVIDENCE_MAX_BYTES = 2 * 1024 * 1024
    big = image_bytes("PNG") + b"\x00" * (2 * 1024 * 1024)
    with pytest.raises(TooLarge) as caught:
        evidence_store(upload=upload(big, "big.png"), folder="h")
    assert caught.value.status == 413
    assert "2 MB" in caught.value.message
    assert stored_files(media) == []


def test_file_at_the_limit_is_accepted(settings):
    data = image_bytes("PNG")
    settings.SAFELOOP_EVIDENCE_MAX_BYTES = len(data)
    assert evidence_store(upload=upload(data), folder="h").size == len(data)


def test_thumbnail_fits_480_px_and_follows_exif_rotation():
    # Landscape pixels, left half red and right half blue, tagged "rotate 90° clockwise to view".
    image = Image.new("RGB", (1200, 600), "red")
    image.paste((0, 0, 255), (600, 0, 1200, 600))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    stored = evidence_store(upload=upload(out.getvalue()), folder="h")
    with default_storage.open(stored.thumbnail_name) as thumb, Image.open(thumb) as small:
        assert small.size == (240, 480)
        top, bottom = small.getpixel((120, 10)), small.getpixel((120, 470))
    assert top[0] > 200 and top[2] < 60  # the red left half is now on top
    assert bottom[2] > 200 and bottom[0] < 60


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
        (b"%PDF-1.7\n", "application/pdf"),
        (b"GIF89a\x01\x00\x01\x00", None),
        (b"PK\x03\x04\x14\x00\x00\x00", None),
        (b"", None),
    ],
)
def test_sniffing_looks_only_at_the_content(head, expected):
    assert sniff_content_type(head) == expected
