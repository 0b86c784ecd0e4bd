"""Sealed records: an issued document kept exactly as it was issued, and provably so.

`record_seal` is the only write. It stores the bytes through Django's default storage under
their SHA-256, and appends a `SealedRecord` to one hash chain over every sealed record (each
record's hash is an HMAC, under the ledger key it names, of its canonical content and the
previous record's hash, `core.chain`; migration core/0006 keyed the records sealed before). The
database refuses UPDATE and DELETE on the table, and `verify_seals` re-hashes every stored
file and walks the chain. Each record has a random token: `/verify/<token>/` is the public
page that says what the document publishes about itself and checks a file against it.

Users: issued hazard documents (指令书, 复查意见书, 通知书) now; frozen assessments and issued
briefings later. Owners are named by (app_label.model, pk), so core imports no app.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.core.chain import GENESIS, LEGACY, UnknownKey, current_key_id, keyed_hash
from safeloop.core.docx import DOCX_CONTENT_TYPE
from safeloop.core.filecheck import stored_sha256
from safeloop.core.models import SealedRecord
from safeloop.core.xlsx import XLSX_CONTENT_TYPE

FOLDER = "sealed"
EXTENSIONS = {DOCX_CONTENT_TYPE: ".docx", "application/pdf": ".pdf", XLSX_CONTENT_TYPE: ".xlsx"}
CHECK_MAX_BYTES = 50 * 1024 * 1024  # a file offered for checking on the public page
_CHUNK = 64 * 1024
_APPEND_TRIES = 5
_SHA256 = re.compile(r"[0-9a-f]{64}")
_request_base: ContextVar[str] = ContextVar("safeloop_request_base", default="")


# ---------------------------------------------------------------- the public verification address


def new_token() -> str:
    """A random, unguessable token (192 bits) for a record's verification address."""
    return secrets.token_urlsafe(24)


def verification_url(token: str, *, request: HttpRequest | None = None) -> str:
    """`<base>/verify/<token>/`, the address a document's QR code opens (see `public_url`)."""
    return public_url(reverse("core:verify", args=[token]), request=request)


def public_url(path: str, *, request: HttpRequest | None = None) -> str:
    """The address of `path` to print on paper (a document's QR code, an enterprise's poster).
    The base is SAFELOOP_PUBLIC_BASE_URL, else the address of the request being served (given,
    or entered with `public_base_from`); else the path alone."""
    base = getattr(settings, "SAFELOOP_PUBLIC_BASE_URL", "") or _request_base.get()
    if not base and request is not None:
        base = request.build_absolute_uri("/")
    return f"{base.rstrip('/')}{path}" if base else path


@contextmanager
def public_base_from(request: HttpRequest) -> Iterator[None]:
    """Documents sealed while serving `request` (deep in a service) point at this host when no
    SAFELOOP_PUBLIC_BASE_URL is set."""
    reset = _request_base.set(request.build_absolute_uri("/"))
    try:
        yield
    finally:
        _request_base.reset(reset)


# ---------------------------------------------------------------- the one write


def record_seal(
    *,
    kind: str,
    title: str,
    number: str,
    issuer: str,
    issued_on: date,
    content: bytes,
    content_type: str,
    target: models.Model,
    actor: Any,
    token: str | None = None,
) -> SealedRecord:
    """Store `content` and append its record to the chain. Call inside the transaction that
    issues the document; pass `token` when the content already carries its verification URL."""
    sha256 = hashlib.sha256(content).hexdigest()
    record = SealedRecord(
        kind=kind,
        title=title,
        number=number,
        issuer=issuer,
        issued_on=issued_on,
        file=_store(sha256, content, content_type),
        sha256=sha256,
        size=len(content),
        content_type=content_type,
        target_type=target_label(target),
        target_id=str(target.pk),
        sealed_by=actor if getattr(actor, "pk", None) else None,
        sealed_by_name=str(actor) if actor is not None else _("系统"),
        sealed_at=timezone.now(),
        token=token or new_token(),
    )
    return _append(record)


def target_label(target: models.Model) -> str:
    return f"{target._meta.app_label}.{target._meta.model_name}"


def seal_content(record: SealedRecord) -> dict[str, Any]:
    """Everything a record asserts; its hash covers exactly this."""
    return {
        "seq": record.seq,
        "kind": record.kind,
        "title": record.title,
        "number": record.number,
        "issuer": record.issuer,
        "issued_on": record.issued_on.isoformat(),
        "file": record.file,
        "sha256": record.sha256,
        "size": record.size,
        "content_type": record.content_type,
        "target": f"{record.target_type}:{record.target_id}",
        "sealed_by": record.sealed_by_id,
        "sealed_by_name": record.sealed_by_name,
        "sealed_at": record.sealed_at.astimezone(UTC).isoformat(),
        "token": record.token,
    } | ({"key_id": record.key_id} if record.key_id != LEGACY else {})


def _store(sha256: str, content: bytes, content_type: str) -> str:
    """Content-addressed; a file already there under this name is reused only if it still holds
    these bytes (otherwise storage picks a fresh name, and `verify_seals` reports the other)."""
    name = f"{FOLDER}/{sha256}{EXTENSIONS.get(content_type, '.bin')}"
    if default_storage.exists(name) and stored_sha256(name) == sha256:
        return name
    return default_storage.save(name, ContentFile(content))


def _append(record: SealedRecord) -> SealedRecord:
    """Take the next place in the chain. `seq` is unique, so two writers that read the same
    head cannot both append: the loser retries from the new head."""
    for attempt in range(_APPEND_TRIES):
        last_seq, record.prev_hash = _head()
        record.seq, record.key_id = last_seq + 1, current_key_id()
        record.hash = keyed_hash(record.key_id, record.prev_hash, seal_content(record))
        try:
            with transaction.atomic():
                record.save(force_insert=True)
            return record
        except IntegrityError:
            if attempt == _APPEND_TRIES - 1:
                raise
    raise AssertionError("unreachable")


def _head() -> tuple[int, str]:
    """The last record's place and hash; (0, GENESIS) before the first."""
    return SealedRecord.objects.order_by("-seq").values_list("seq", "hash").first() or (0, GENESIS)


# ---------------------------------------------------------------- reading


def seal_by_token(token: str) -> SealedRecord | None:
    return SealedRecord.objects.filter(token=token).first()


def latest_seal(*, target: models.Model, kind: str) -> SealedRecord | None:
    records = SealedRecord.objects.filter(target_type=target_label(target), target_id=str(target.pk), kind=kind)
    return records.order_by("-seq").first()


class SealBroken(Exception):
    """The stored bytes of a sealed record are missing or no longer match its hash."""


def sealed_bytes(record: SealedRecord) -> bytes:
    """The document exactly as sealed; never serves bytes that fail their hash."""
    try:
        with default_storage.open(record.file) as fh:
            content = fh.read()
    except FileNotFoundError as exc:
        raise SealBroken(record.file) from exc
    if hashlib.sha256(content).hexdigest() != record.sha256:
        raise SealBroken(record.file)
    return content


# ---------------------------------------------------------------- checking a file against a record


@dataclass(frozen=True)
class Check:
    matches: bool
    sha256: str  # of the file offered, or the hash pasted
    message: str


def seal_check(record: SealedRecord, *, upload: Any = None, sha256: str = "") -> Check:
    """Compare an uploaded file, or a pasted SHA-256, with the sealed record."""
    if upload is not None:
        if upload.size > CHECK_MAX_BYTES:
            return Check(False, "", _("文件过大，无法核验"))
        digest = hashlib.sha256()
        for chunk in upload.chunks(_CHUNK):
            digest.update(chunk)
        offered = digest.hexdigest()
    else:
        offered = re.sub(r"\s", "", sha256).lower()
        if not _SHA256.fullmatch(offered):
            return Check(False, "", _("请上传文件，或粘贴64位十六进制的SHA-256值"))
    if hmac.compare_digest(offered, record.sha256):
        return Check(True, offered, _("一致：该文件与存档的原始文书完全相同。"))
    return Check(False, offered, _("不一致：该文件不是存档的原始文书，或已被修改。"))


# ---------------------------------------------------------------- verification of everything


@dataclass(frozen=True)
class SealProblem:
    seq: int
    label: str
    problem: str
    finding: str = "chain"  # core.chain.FINDINGS: "chain" or "files"

    def __str__(self) -> str:
        return _("存证 #%(seq)s %(label)s：%(problem)s") % {
            "seq": self.seq,
            "label": self.label,
            "problem": self.problem,
        }


def verify_seals(*, chunk_size: int = 2000, files: bool = True) -> Iterator[SealProblem]:
    """Walk the chain in order and re-hash every stored file (unless `files` is off: the ledger
    check re-hashes them incrementally, `sealed_files`); report every problem found (the walk
    resynchronises after each, so one edit does not hide the next)."""
    prev_hash, expected_seq = GENESIS, 1
    for record in SealedRecord.objects.order_by("seq").iterator(chunk_size=chunk_size):
        yield from _record_problems(record, prev_hash, expected_seq, files)
        prev_hash, expected_seq = record.hash, record.seq + 1


def sealed_files() -> Iterator[tuple[str, str, str]]:
    """(label, storage name, SHA-256) of every sealed file, for `core.filecheck`."""
    for record in SealedRecord.objects.order_by("seq").iterator(chunk_size=2000):
        yield _("存证 #%(seq)s %(label)s") % {"seq": record.seq, "label": record}, record.file, record.sha256


def _record_problems(record: SealedRecord, prev_hash: str, expected_seq: int, files: bool) -> Iterator[SealProblem]:
    def problem(text: str, finding: str = "chain") -> SealProblem:
        return SealProblem(record.seq, str(record), text, finding)

    if record.seq != expected_seq:
        yield problem(_("序号不连续（应为 #%(seq)s），存证记录被删除或插入") % {"seq": expected_seq})
    elif record.prev_hash != prev_hash:
        yield problem(_("前序哈希不符，存证记录被删除、插入或重排"))
    try:
        if record.key_id == LEGACY:  # every record is keyed since migration core/0006
            yield problem(_("记录没有密钥签名，存证记录被无密钥重算"), "key")
        elif keyed_hash(record.key_id, record.prev_hash, seal_content(record)) != record.hash:
            yield problem(_("记录内容与哈希不符，存证记录被修改"))
    except UnknownKey:
        yield problem(_("密钥编号“%(kid)s”未知，记录不是用本系统的密钥签名的") % {"kid": record.key_id}, "key")
    if not files:
        return
    stored = stored_sha256(record.file)
    if stored is None:
        yield problem(_("存档文件缺失"), "files")
    elif stored != record.sha256:
        yield problem(_("存档文件与登记的SHA-256不符，文件被修改或替换"), "files")
