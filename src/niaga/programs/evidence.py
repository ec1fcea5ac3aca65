"""Evidence files of support records: what an upload must be, and where it is kept.

An evidence file (a receipt, a transfer slip, a photo of the handover, a
report) is accepted only if its *content* is a PDF, a JPEG or a PNG and its
name says the same type: the browser's content type is ignored, and a file
called `.pdf` that is really a program (or a Word document, or a ZIP) is
refused. Images are opened with Pillow and verified without decoding their
pixels; a PDF must start with the `%PDF-` header and end with `%%EOF` (a
file cut off in transit does not). Size: at most
`settings.NIAGA_SUPPORT_EVIDENCE_MAX_BYTES` (10 MB unless set), not empty.

Stored files live under the model's private folder (`private/support/<year>/
<month>/`), named by a random token and the extension of their content, so a
stored name says nothing about the record and cannot be guessed. Nothing
under `private/` is served at a URL: files go out only through the
permission-checked download view, as attachments. The name the officer gave
is kept in the row for the download.

Error codes (tests and callers may rely on them): evidence_too_large,
evidence_empty, evidence_extension, evidence_type, evidence_mismatch,
evidence_damaged, evidence_pixels, evidence_count.
"""

from __future__ import annotations

import io
import math
import os
import secrets
import unicodedata
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

from niaga.programs.models import SupportEvidence

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# Files per record: a grant has a decree, a transfer slip, a receipt and a few
# photos; more than this is a folder uploaded by mistake.
MAX_FILES_PER_RECORD = 20
PRIVATE_PREFIX = "private/support/"


@dataclass(frozen=True)
class Kind:
    label: str  # as people call it in messages
    content_type: str
    extension: str  # of the stored file


PDF = Kind("PDF", "application/pdf", "pdf")
JPEG = Kind("JPEG", "image/jpeg", "jpg")
PNG = Kind("PNG", "image/png", "png")
KINDS = (PDF, JPEG, PNG)
EXTENSIONS = {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG}
ACCEPT_ATTRIBUTE = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"

# Only to name a refused file's real type in the message; never parsed.
_OTHER_TYPES = (
    (b"MZ", gettext_lazy("Windows program")),
    (b"\x7fELF", gettext_lazy("Linux program")),
    (b"\xcf\xfa\xed\xfe", gettext_lazy("macOS program")),
    (b"\xca\xfe\xba\xbe", gettext_lazy("macOS program")),
    (b"#!", gettext_lazy("script")),
    (b"PK\x03\x04", gettext_lazy("ZIP archive or Office document")),
    (b"\xd0\xcf\x11\xe0", gettext_lazy("old Office document")),
    (b"Rar!", gettext_lazy("RAR archive")),
    (b"7z\xbc\xaf\x27\x1c", gettext_lazy("7-Zip archive")),
    (b"GIF8", gettext_lazy("GIF image")),
    (b"RIFF", gettext_lazy("WebP image or media file")),
    (b"<", gettext_lazy("web page or XML")),
)


def max_bytes() -> int:
    """The largest evidence file accepted (settings.NIAGA_SUPPORT_EVIDENCE_MAX_BYTES, 10 MB)."""
    return int(getattr(settings, "NIAGA_SUPPORT_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed `check_upload`, with what its content is."""

    upload: object
    original_name: str
    kind: Kind
    size: int

    @property
    def content_type(self) -> str:
        return self.kind.content_type


def clean_name(name: str) -> str:
    """The file name as the officer gave it, without folders or control characters."""
    base = os.path.basename(str(name or "").replace("\\", "/"))
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    if len(base) > 200:
        stem, dot, extension = base.rpartition(".")
        base = (stem[: 200 - len(extension) - 1] + "." + extension) if dot else base[:200]
    return base or "bukti"


def _size_of(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        position = upload.tell()
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
        upload.seek(position)
    return size


def _megabytes(size: int) -> str:
    # Rounded up: a file just over the limit must not read as "10,0 MB".
    return number_format(math.ceil(size * 10 / 1024 / 1024) / 10, 1)


def _read_ends(upload, size: int) -> tuple[bytes, bytes]:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(max(size - 2048, 0))
    tail = upload.read(2048)
    upload.seek(0)
    return head, tail


def _sniff(head: bytes) -> Kind | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def _other_type(head: bytes) -> str | None:
    for magic, label in _OTHER_TYPES:
        if head.startswith(magic):
            return label
    return None


def _verify_image(upload, kind: Kind, name: str) -> None:
    """Pillow reads the header and checks the structure; no pixel is decoded."""
    upload.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(upload, formats=[kind.label]) as image:
                image.verify()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ValidationError(
                _("“%(name)s” declares far more pixels than a photo or a scan has.")
                % {"name": name},
                code="evidence_pixels",
            ) from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise _damaged(name, kind) from error
        finally:
            upload.seek(0)


def _damaged(name: str, kind: Kind) -> ValidationError:
    return ValidationError(
        _("“%(name)s” looks like a %(type)s file but is damaged or incomplete; upload it again.")
        % {"name": name, "type": kind.label},
        code="evidence_damaged",
    )


def check_upload(upload, *, limit: int | None = None) -> CheckedFile:
    """Check one uploaded evidence file (a Django upload or any named file object).

    `limit` replaces the evidence size limit for callers with their own
    (agreement documents). Returns what it is; stores nothing. Errors:
    ValidationError with one of the codes in the module docstring and a
    message that names the file.
    """
    name = clean_name(getattr(upload, "name", ""))
    size = _size_of(upload)
    limit = limit if limit is not None else max_bytes()
    if size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s MB; an evidence file may be at most %(limit)s MB.")
            % {"name": name, "size": _megabytes(size), "limit": _megabytes(limit)},
            code="evidence_too_large",
        )
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="evidence_empty")
    claimed = EXTENSIONS.get(os.path.splitext(name)[1].lower())
    if claimed is None:
        raise ValidationError(
            _("“%(name)s” is not a PDF, JPEG or PNG file: evidence must be .pdf, .jpg or .png.")
            % {"name": name},
            code="evidence_extension",
        )
    head, tail = _read_ends(upload, size)
    actual = _sniff(head)
    if actual is None:
        other = _other_type(head)
        if other:
            message = _(
                "“%(name)s” is named as a %(claimed)s file but is really a %(other)s; "
                "only PDF, JPEG and PNG files are accepted."
            ) % {"name": name, "claimed": claimed.label, "other": other}
        else:
            message = _(
                "“%(name)s” is named as a %(claimed)s file but is not one (whatever its "
                "name says); only PDF, JPEG and PNG files are accepted."
            ) % {"name": name, "claimed": claimed.label}
        raise ValidationError(message, code="evidence_type")
    if actual is not claimed:
        raise ValidationError(
            _(
                "“%(name)s” is named as a %(claimed)s file but is a %(actual)s file; "
                "rename it to .%(extension)s and upload it again."
            )
            % {
                "name": name,
                "claimed": claimed.label,
                "actual": actual.label,
                "extension": actual.extension,
            },
            code="evidence_mismatch",
        )
    if actual is PDF:
        if b"%%EOF" not in tail:
            raise _damaged(name, PDF)
    else:
        _verify_image(upload, actual, name)
    return CheckedFile(upload=upload, original_name=name, kind=actual, size=size)


def check_uploads(uploads, *, already: int = 0) -> tuple[list[CheckedFile], list[ValidationError]]:
    """Check several uploads; the accepted ones and one error per refused file.

    `already` is the number of files the record holds: the total may not
    pass MAX_FILES_PER_RECORD.
    """
    uploads = [upload for upload in uploads if upload]
    checked, errors = [], []
    if already + len(uploads) > MAX_FILES_PER_RECORD:
        errors.append(
            ValidationError(
                _("A record holds at most %(limit)s evidence files; this would make %(count)s.")
                % {"limit": MAX_FILES_PER_RECORD, "count": already + len(uploads)},
                code="evidence_count",
            )
        )
        return checked, errors
    for upload in uploads:
        try:
            checked.append(check_upload(upload))
        except ValidationError as error:
            errors.extend(error.error_list)
    return checked, errors


def new_name(kind: Kind) -> str:
    """A random file name with the extension of the content (the folder is the model's)."""
    return f"{secrets.token_hex(16)}.{kind.extension}"


def is_private(name: str) -> bool:
    return name.startswith(PRIVATE_PREFIX) and ".." not in name.split("/")


def delete_files(names) -> None:
    """Remove stored files; a file already gone is not an error."""
    for name in names:
        if name and is_private(name) and default_storage.exists(name):
            default_storage.delete(name)


@contextmanager
def saving():
    """Collect the names of files stored in the block; delete them again if it fails.

    Used around the transaction of a write: a write that fails after some
    files were stored leaves no file behind.
    """
    names: list[str] = []
    try:
        yield names
    except BaseException:
        delete_files(names)
        raise


def store(saved: list[str], actor, province, checked: CheckedFile, *, grant=None, assistance=None):
    """Store a checked file under the model's private folder and save its row.

    The row's file name is random; `saved` (from `saving`) gets it, so that
    a failure later in the same write removes the file again.
    """
    row = SupportEvidence(
        province=province,
        grant=grant,
        assistance=assistance,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    checked.upload.seek(0)
    row.file.save(new_name(checked.kind), File(checked.upload), save=False)
    saved.append(row.file.name)
    row.save()
    return row


def summary(rows) -> list[dict]:
    """Evidence rows as the audit log keeps them: id, name, type, size."""
    return [
        {"id": row.pk, "name": row.original_name, "type": row.content_type, "size": row.size}
        for row in rows
    ]


def orphaned_files(referenced: set[str]) -> list[str]:
    """Stored evidence files that no row names (left by a write whose caller's
    transaction rolled back after the files were saved). `referenced` is the
    set of names the rows hold; a maintenance task deletes what this returns."""
    found: list[str] = []

    def walk(folder: str) -> None:
        if not default_storage.exists(folder):
            return
        folders, files = default_storage.listdir(folder)
        for file in files:
            name = f"{folder}/{file}"
            if name not in referenced:
                found.append(name)
        for sub in folders:
            walk(f"{folder}/{sub}")

    walk(PRIVATE_PREFIX.rstrip("/"))
    return sorted(found)
