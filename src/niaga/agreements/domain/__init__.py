"""Every change to agreements, their parties, documents and action items.

Pages, the API and the demo call only these. Permission checks are the
caller's (a view or an endpoint, through `agreements.rules`); these functions
check the data: an agreement has at least two distinct parties; each party's
official number is unique among that party's agreements (the constraint
`agreement_number_unique_per_party`, reported on the field `number` naming
the party, also when a concurrent writer wins the race); `valid_until` is not
before `valid_from`; `signed_on` is not after today (in the recording
province's zone); a mission or a business must be visible in the recording
province's space. The signed document is a PDF checked by content
(`niaga.programs.evidence.check_upload`) and at most
`settings.NIAGA_AGREEMENT_DOCUMENT_MAX_BYTES` (20 MB unless set).

Updates carry the `version` the editor read; a stale version raises
`ValidationError(code="conflict")` and writes nothing. Each function accepts
`now` (default `timezone.now()`) so the demo can back-date and tests use a
fixed clock. Every change records an audit event `agreements.<entity>.<verb>`.
"""

from niaga.agreements.domain.agreements import (
    agreement_create,
    agreement_create_once,
    agreement_terminate,
    agreement_update,
)
from niaga.agreements.domain.common import (
    AGREEMENT_FIELDS,
    DEFAULT_DOCUMENT_MAX_BYTES,
    DOCUMENT_FOLDER,
    ITEM_FIELDS,
    MAX_PARTIES,
    MIN_PARTIES,
    PARTY_FIELDS,
    IdempotencyConflict,
    conflict_error,
    document_max_bytes,
    local_today,
)
from niaga.agreements.domain.documents import check_document
from niaga.agreements.domain.items import (
    action_item_create,
    action_item_note_add,
    action_item_update,
)

__all__ = [
    "AGREEMENT_FIELDS",
    "DEFAULT_DOCUMENT_MAX_BYTES",
    "DOCUMENT_FOLDER",
    "ITEM_FIELDS",
    "MAX_PARTIES",
    "MIN_PARTIES",
    "PARTY_FIELDS",
    "IdempotencyConflict",
    "action_item_create",
    "action_item_note_add",
    "action_item_update",
    "agreement_create",
    "agreement_create_once",
    "agreement_terminate",
    "agreement_update",
    "check_document",
    "conflict_error",
    "document_max_bytes",
    "local_today",
]
