"""The signed document: checking the PDF, storing it privately, deleting a replaced one."""

from __future__ import annotations

import os
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from niaga.agreements.domain.common import (
    DOCUMENT_FOLDER,
    document_max_bytes,
)
from niaga.agreements.models import (
    Agreement,
)
from niaga.programs import evidence

# --- The signed document --------------------------------------------------------------


def check_document(upload) -> evidence.CheckedFile:
    """Check a signed document: a real PDF, not empty, at most the size limit.

    Errors: ValidationError on `document` with the evidence codes
    (`evidence_too_large`, `evidence_type`, `evidence_damaged`, …) and
    `document_not_pdf` for any other kind of file.
    """
    name = evidence.clean_name(getattr(upload, "name", ""))
    limit = document_max_bytes()
    size = evidence._size_of(upload)
    if size > limit:
        raise ValidationError(
            {
                "document": ValidationError(
                    _(
                        "Signed document: “%(name)s” is %(size)s MB; the signed document "
                        "may be at most %(limit)s MB."
                    )
                    % {
                        "name": name,
                        "size": evidence._megabytes(size),
                        "limit": evidence._megabytes(limit),
                    },
                    code="evidence_too_large",
                )
            }
        )
    if os.path.splitext(name)[1].lower() != ".pdf":
        raise ValidationError(
            {
                "document": ValidationError(
                    _(
                        "Signed document: “%(name)s” is not a PDF; "
                        "upload the signed agreement as a PDF."
                    )
                    % {"name": name},
                    code="document_not_pdf",
                )
            }
        )
    try:
        checked = evidence.check_upload(upload, limit=limit)
    except ValidationError as error:
        raise ValidationError({"document": error.error_list}) from error
    if checked.kind is not evidence.PDF:  # a .pdf name with other content is refused above
        raise ValidationError(
            {
                "document": ValidationError(
                    _("Signed document: “%(name)s” is not a PDF.") % {"name": name},
                    code="document_not_pdf",
                )
            }
        )
    return checked


def delete_document(name: str) -> None:
    private = name.startswith(DOCUMENT_FOLDER + "/") and ".." not in name.split("/")
    if private and default_storage.exists(name):
        default_storage.delete(name)


@contextmanager
def saving():
    """Collect the documents stored in the block; delete them again if it fails."""
    names: list[str] = []
    try:
        yield names
    except BaseException:
        for name in names:
            delete_document(name)
        raise


def store_document(saved: list[str], agreement: Agreement, checked: evidence.CheckedFile) -> None:
    checked.upload.seek(0)
    # A random name under the model's private folder: it says nothing about the
    # agreement and cannot be guessed; the officer's file name is kept in the row.
    agreement.document.save(evidence.new_name(checked.kind), File(checked.upload), save=False)
    saved.append(agreement.document.name)
    agreement.document_name = checked.original_name
    agreement.document_size = checked.size
