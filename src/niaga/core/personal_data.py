"""Personal data at rest: encryption under rotatable keys, keyed hashes for look-ups.

UU PDP (Law 27/2022) and architecture rule 8: an identifying number such as a
NIK is stored only as a Fernet token (AES-128-CBC with HMAC-SHA256 and a
random IV, so the same NIK encrypts differently each time) in a `TextField`,
next to a keyed hash in a `CharField(max_length=64)` that makes uniqueness
constraints and look-ups work without decrypting anything. A model keeps the
two columns itself (`nik_encrypted`, `nik_hash`); there is no custom field.

Keys come from the settings (see `niaga.config`):

- `NIAGA_PERSONAL_DATA_KEYS`: Fernet keys, the first encrypts, all decrypt.
  Rotation: put a new key first and restart every app server, run
  `niaga rotate_personal_keys`, then drop the old key.
- `NIAGA_LOOKUP_KEY`: the HMAC-SHA256 key of the look-up hashes.
- `NIAGA_LOOKUP_KEY_PREVIOUS`: set only while the look-up key changes; the
  rotation command recomputes every hash with the current key from the
  decrypted value, and `lookup_hashes` lets look-ups find rows that still
  carry a hash made with the previous key until it has run.

Callers normalise a value (e.g. NIK digits only) before encrypting or hashing
it: the same person must give the same hash. Nothing here logs a key, a
value or a token.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import re
from dataclasses import dataclass, field

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.signals import setting_changed
from django.db import models, transaction
from django.dispatch import receiver
from django_scopes import scopes_disabled

HASH_LENGTH = 64  # hex characters of an HMAC-SHA256
DEFAULT_BATCH_SIZE = 500
_KEY_SETTINGS = frozenset(
    {"NIAGA_PERSONAL_DATA_KEYS", "NIAGA_LOOKUP_KEY", "NIAGA_LOOKUP_KEY_PREVIOUS"}
)
# A kind is part of the hashed text ("kind:value"); without a colon in it no
# two (kind, value) pairs can hash the same text.
_KIND = re.compile(r"[a-z][a-z0-9_]*")


class DecryptionError(Exception):
    """A token that none of the configured keys decrypts.

    Either a key was removed before `niaga rotate_personal_keys` finished, or
    the key settings (or the key file in the data folder) are not the ones the
    data was written with. The message never contains the token.
    """


@dataclass(frozen=True)
class EncryptedColumn:
    """One encrypted column and its look-up hash column (None when it has none)."""

    model: str  # "app_label.ModelName"
    encrypted_field: str
    hash_field: str | None
    kind: str


# Every encrypted column, so that `niaga rotate_personal_keys` finds them all.
# Apps register theirs in `AppConfig.ready()` with `register_encrypted_column`.
ENCRYPTED_COLUMNS: list[EncryptedColumn] = []


def _check_kind(kind: str) -> None:
    if not _KIND.fullmatch(kind):
        raise ValueError(f"kind {kind!r} must be lower-case letters, digits and _ (e.g. 'nik')")


def register_encrypted_column(
    model: str, encrypted_field: str, hash_field: str | None, kind: str
) -> EncryptedColumn:
    """Make an encrypted column known to the rotation command.

    Registering the same column again with the same details changes nothing
    (`ready()` may run more than once in tests). Errors: ValueError for a bad
    kind, or for a column already registered with another hash field or kind.
    """
    _check_kind(kind)
    column = EncryptedColumn(model, encrypted_field, hash_field, kind)
    for known in ENCRYPTED_COLUMNS:
        if (known.model, known.encrypted_field) == (model, encrypted_field):
            if known != column:
                raise ValueError(f"{model}.{encrypted_field} is already registered as {known}")
            return known
    ENCRYPTED_COLUMNS.append(column)
    return column


# --- Keys --------------------------------------------------------------------


@dataclass(frozen=True)
class _Keys:
    primary: Fernet = field(repr=False)
    every: MultiFernet = field(repr=False)
    count: int
    lookup: bytes = field(repr=False)
    lookup_previous: bytes | None = field(repr=False)


@functools.cache
def _keys() -> _Keys:
    fernet_keys = list(settings.NIAGA_PERSONAL_DATA_KEYS)
    if not fernet_keys:
        # niaga.config never produces this; a test's override_settings might.
        raise DecryptionError("NIAGA_PERSONAL_DATA_KEYS holds no key")
    fernets = [Fernet(key) for key in fernet_keys]
    previous = settings.NIAGA_LOOKUP_KEY_PREVIOUS
    return _Keys(
        primary=fernets[0],
        every=MultiFernet(fernets),
        count=len(fernets),
        lookup=settings.NIAGA_LOOKUP_KEY.encode("utf-8"),
        lookup_previous=previous.encode("utf-8") if previous else None,
    )


def clear_key_cache() -> None:
    """Forget the key objects built from the settings; the next call rebuilds them.

    Called automatically when a test changes a key setting with
    `override_settings`; a long-lived process never needs it (keys change
    with a restart).
    """
    _keys.cache_clear()


@receiver(setting_changed)
def _key_setting_changed(*, setting: str, **kwargs) -> None:
    if setting in _KEY_SETTINGS:
        clear_key_cache()


def key_count() -> int:
    """How many personal-data keys decrypt (the first of them encrypts)."""
    return _keys().count


def has_previous_lookup_key() -> bool:
    """Whether NIAGA_LOOKUP_KEY_PREVIOUS is set (a look-up key rotation is under way)."""
    return _keys().lookup_previous is not None


# --- Values ------------------------------------------------------------------


def encrypt(value: str) -> str:
    """`value` as a Fernet token (ASCII text) under the first key.

    Each call gives a different token for the same value (random IV); compare
    values through `lookup_hash`, never through tokens. TypeError if `value`
    is not a str (None is not "no value": store "" and a null hash instead).
    """
    if not isinstance(value, str):
        raise TypeError(f"encrypt() takes a str, not {type(value).__name__}")
    return _keys().every.encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """The value a token from `encrypt` holds, using whichever configured key fits.

    DecryptionError if no configured key decrypts it, or it is not a token.
    """
    try:
        return _keys().every.decrypt(token).decode("utf-8")
    except (InvalidToken, TypeError, ValueError) as error:
        raise DecryptionError(
            "no key in NIAGA_PERSONAL_DATA_KEYS decrypts this value: was a key removed "
            "before `niaga rotate_personal_keys` finished, or is the key file missing?"
        ) from error


def needs_rotation(token: str) -> bool:
    """Whether the token was not made with the first (current) key.

    Only the token's signature is checked against the first key, which is
    cheap. True also for a token no key decrypts; `rotate` then raises.
    """
    try:
        _keys().primary.extract_timestamp(token)
    except (InvalidToken, TypeError, ValueError):
        return True
    return False


def rotate(token: str) -> str:
    """The same value as a new token under the first key (creation time kept).

    DecryptionError if no configured key decrypts it.
    """
    try:
        return _keys().every.rotate(token).decode("ascii")
    except (InvalidToken, TypeError, ValueError) as error:
        raise DecryptionError(
            "no key in NIAGA_PERSONAL_DATA_KEYS decrypts this value, so it cannot be rotated"
        ) from error


def _hmac(key: bytes, kind: str, value: str) -> str:
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def lookup_hash(kind: str, value: str) -> str:
    """The keyed hash (64 hex characters) that finds `value` of this `kind`.

    HMAC-SHA256 under NIAGA_LOOKUP_KEY of "kind:value": the same number as a
    NIK and as, say, a phone never gives the same hash, and without the key
    nobody can test guesses against the column (a NIK has few enough
    possible values to be guessed by brute force from a plain hash).
    ValueError for a bad kind or an empty value: an absent value has a null
    hash, or every row without one would collide under a unique constraint.
    """
    _check_kind(kind)
    if not isinstance(value, str) or not value:
        raise ValueError("lookup_hash() needs a non-empty str value")
    return _hmac(_keys().lookup, kind, value)


def lookup_hashes(kind: str, value: str) -> tuple[str, ...]:
    """Every hash a stored row of `value` may carry: the current one, then the previous one.

    Use it for look-ups and duplicate checks (`nik_hash__in=…`): while a
    look-up key rotation is under way (NIAGA_LOOKUP_KEY_PREVIOUS set, the
    rotation command not yet finished) some rows still carry the old hash.
    Writes always store `lookup_hash`.
    """
    current = lookup_hash(kind, value)
    previous = _keys().lookup_previous
    if previous is None:
        return (current,)
    return (current, _hmac(previous, kind, value))


# --- Rotation ----------------------------------------------------------------


@dataclass
class ColumnRotation:
    """What `rotate_column` did (or, in a dry run, would do) to one column."""

    label: str
    values: int = 0  # rows holding a value
    reencrypted: int = 0  # tokens that were not under the first key
    rehashed: int = 0  # hashes made with NIAGA_LOOKUP_KEY_PREVIOUS, now with the current key
    repaired: int = 0  # hashes that were missing or matched neither look-up key
    changed: int = 0  # rows with any of the above

    def as_dict(self) -> dict[str, int | str]:
        return {
            "column": self.label,
            "values": self.values,
            "reencrypted": self.reencrypted,
            "rehashed": self.rehashed,
            "repaired": self.repaired,
        }


def rotate_column(
    model: type[models.Model],
    encrypted_field: str,
    hash_field: str | None,
    kind: str,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
) -> ColumnRotation:
    """Bring every row of one encrypted column under the current keys.

    Each token not made with the first personal-data key is re-encrypted
    under it, and each look-up hash that is not the current key's hash of
    the decrypted value is recomputed. Rows are walked in primary-key order,
    `batch_size` at a time, each batch locked, changed and committed in its
    own transaction, so an interrupted run keeps what it finished and a
    concurrent edit is never overwritten with stale data. Running it again
    changes nothing. Rows of every province are included (scopes disabled,
    base manager). Row versions and change times are left alone: the value
    did not change, only its encryption.

    `dry_run` counts without writing or locking. Side effects: updates rows.
    Errors: DecryptionError naming the row (not its value) when no
    configured key decrypts a token; that batch is rolled back, earlier ones
    stay committed. ValueError for a bad kind or batch size.
    """
    _check_kind(kind)
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    keys = _keys()
    result = ColumnRotation(label=f"{model._meta.label}.{encrypted_field}")
    fields = [encrypted_field] + ([hash_field] if hash_field else [])
    rows = (
        model._base_manager.filter(**{f"{encrypted_field}__isnull": False})
        .exclude(**{encrypted_field: ""})
        .only("pk", *fields)
        .order_by("pk")
    )
    last_pk = None
    with scopes_disabled():
        while True:
            batch_rows = rows if last_pk is None else rows.filter(pk__gt=last_pk)
            # A dry run takes no locks: on SQLite a write transaction would
            # hold up every other writer while it reads.
            with contextlib.nullcontext() if dry_run else transaction.atomic():
                if not dry_run:
                    batch_rows = batch_rows.select_for_update()
                batch = list(batch_rows[:batch_size])
                if not batch:
                    break
                changed = []
                for row in batch:
                    if _rotate_row(row, encrypted_field, hash_field, kind, keys, result):
                        changed.append(row)
                result.changed += len(changed)
                if changed and not dry_run:
                    model._base_manager.bulk_update(changed, fields)
            last_pk = batch[-1].pk
    return result


def _rotate_row(
    row: models.Model,
    encrypted_field: str,
    hash_field: str | None,
    kind: str,
    keys: _Keys,
    result: ColumnRotation,
) -> bool:
    """Update one loaded row in memory and count what changed; True if anything did."""
    token = getattr(row, encrypted_field)
    try:
        value = decrypt(token)
    except DecryptionError as error:
        raise DecryptionError(
            f"{result.label} of row {row.pk}: no key in NIAGA_PERSONAL_DATA_KEYS decrypts "
            "it. This batch was not changed; put back the key it was written with and run "
            "the command again."
        ) from error
    result.values += 1
    changed = False
    if needs_rotation(token):
        setattr(row, encrypted_field, rotate(token))
        result.reencrypted += 1
        changed = True
    if hash_field:
        stored = getattr(row, hash_field)
        current = lookup_hash(kind, value)
        if stored != current:
            if keys.lookup_previous is not None and stored == _hmac(
                keys.lookup_previous, kind, value
            ):
                result.rehashed += 1
            else:
                result.repaired += 1
            setattr(row, hash_field, current)
            changed = True
    return changed
