"""Configuration read from the environment, once, loudly.

Every variable Niaga understands is parsed here into a typed, frozen `Config`.
A value that cannot be parsed stops start-up with `ImproperlyConfigured`
naming the variable and the rule, instead of running with a silent default.
`settings.py` is the only caller in the application; tests call `load_config`
with a patched environment.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from environs import Env, EnvError

SUPPORTED_LANGUAGES = ("id", "en")
SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name
PERSONAL_DATA_KEYS_FILE = "personal_data_keys"
LOOKUP_KEY_FILE = "lookup_key"
LOOKUP_KEY_MIN_LENGTH = 32


@dataclass(frozen=True)
class Config:
    data_dir: Path
    database_url: str | None
    redis_url: str | None
    secret_key: str
    debug: bool
    https: bool
    behind_proxy: bool
    allowed_hosts: list[str]
    csrf_trusted_origins: list[str]
    language_code: str
    time_zone: str
    session_hours: int
    db_pool_max: int
    log_level: str
    mail_from: str
    # Key material is never part of a repr, so a logged or printed Config
    # does not leak it.
    personal_data_keys: tuple[str, ...] = field(repr=False)
    lookup_key: str = field(repr=False)
    lookup_key_previous: str | None = field(repr=False)
    # None: mail is printed to the console (the demo and development).
    smtp: dict | None = field(repr=False, default=None)


def _fail(variable: str, rule: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"Environment variable {variable}: {rule}")


def _read[T](variable: str, read, *args, **kwargs) -> T:
    """Call an environs reader, turning its error into one that names the variable."""
    try:
        return read(variable, *args, **kwargs)
    except EnvError as error:
        raise _fail(variable, str(error)) from error


def _database_url(env: Env) -> str | None:
    url = _read("DATABASE_URL", env.str, None)
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise _fail(
            "DATABASE_URL",
            f"scheme {parts.scheme!r} is not supported; use postgresql://user@host:5432/name "
            "(leave it unset for SQLite in NIAGA_DATA_DIR)",
        )
    if not parts.path.strip("/"):
        raise _fail("DATABASE_URL", "the URL names no database (…/name at the end)")
    return url


def _redis_url(env: Env) -> str | None:
    url = _read("REDIS_URL", env.str, None)
    if not url:
        return None
    if urlsplit(url).scheme not in ("redis", "rediss", "unix"):
        raise _fail("REDIS_URL", "must start with redis://, rediss:// or unix://")
    return url


def _smtp(env: Env) -> dict | None:
    """NIAGA_SMTP_URL → the SMTP mailer's OPTIONS; unset means print mail to the console.

    smtp://user:password@host:587 speaks STARTTLS, smtps://…:465 TLS from the
    start; user and password may be left out for a relay that trusts the host.
    """
    url = _read("NIAGA_SMTP_URL", env.str, None)
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise _fail("NIAGA_SMTP_URL", "must look like smtp://user:password@host:587 or smtps://…")
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 587)
    except ValueError as error:
        raise _fail("NIAGA_SMTP_URL", "the port must be a number") from error
    return {
        "host": parts.hostname,
        "port": port,
        "username": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "use_ssl": parts.scheme == "smtps",
        "use_tls": parts.scheme == "smtp" and port != 25,
        "timeout": 20,
    }


def _secret_key(env: Env, data_dir: Path) -> str:
    """The SECRET_KEY variable, or a key generated once and kept in the data folder.

    Keeping the generated key means sessions and signed links survive a restart;
    several app servers must share one data folder or set SECRET_KEY.
    """
    key = _read("SECRET_KEY", env.str, None)
    if key:
        if len(key) < 50:
            raise _fail("SECRET_KEY", "must be at least 50 characters long")
        return key
    path = data_dir / SECRET_KEY_FILE
    if not path.exists():
        # O_EXCL: two processes starting together must not write two keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(64))
    key = path.read_text().strip()
    if len(key) < 50:
        raise _fail("SECRET_KEY", f"the key kept in {path} is too short; delete the file")
    return key


def _kept_secret(path: Path, generate) -> str:
    """The text kept in `path`, written once from `generate()` if the file is missing.

    The file appears complete or not at all: it is written under a temporary
    name and linked into place; linking fails if another process starting at
    the same moment got there first, and then its key is the one used.
    Mode 0600: only the service account reads it.
    """
    if not path.exists():
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(generate())
                handle.flush()
                os.fsync(handle.fileno())
            # Another process starting at the same moment linked its key first.
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    return path.read_text()


def _fernet_key_problem(key: str) -> str | None:
    """Why `key` is not a Fernet key, or None. The key itself is never in the answer."""
    if not key:
        return "is empty"
    try:
        Fernet(key)
    except ValueError:
        return (
            "is not a Fernet key (32 random bytes in url-safe base64, 44 characters; "
            "make one with `niaga rotate_personal_keys --new-key`)"
        )
    return None


def _personal_data_keys(env: Env, data_dir: Path) -> tuple[str, ...]:
    """NIAGA_PERSONAL_DATA_KEYS, or keys generated once and kept in the data folder.

    The first key encrypts, every key decrypts: a rotation puts a new key
    first, runs `niaga rotate_personal_keys`, then drops the old key. The
    kept file holds one key per line, newest first, so a single machine can
    rotate by editing it (lines starting with # are notes). Losing the keys
    loses the personal data, so the message for a damaged file says to
    restore it, never to delete it.
    """
    variable = "NIAGA_PERSONAL_DATA_KEYS"
    raw = _read(variable, env.str, None)
    if raw:
        keys = tuple(part.strip() for part in raw.split(","))
        for number, key in enumerate(keys, start=1):
            problem = _fernet_key_problem(key)
            if problem:
                raise _fail(variable, f"key {number} of {len(keys)} {problem}")
        return keys
    path = data_dir / PERSONAL_DATA_KEYS_FILE
    text = _kept_secret(path, lambda: Fernet.generate_key().decode("ascii") + "\n")
    # Lines starting with # are notes (e.g. when a key was added).
    lines = (line.strip() for line in text.splitlines())
    keys = tuple(line for line in lines if line and not line.startswith("#"))
    if not keys:
        raise _fail(
            variable,
            f"unset, and the key file {path} is empty; restore it from your key backup "
            "(the personal data cannot be read without it)",
        )
    for number, key in enumerate(keys, start=1):
        problem = _fernet_key_problem(key)
        if problem:
            raise _fail(
                variable,
                f"unset, and line {number} of the key file {path} {problem}; restore the "
                "file from your key backup (the personal data cannot be read without it)",
            )
    return keys


def _lookup_key(env: Env, data_dir: Path) -> tuple[str, str | None]:
    """NIAGA_LOOKUP_KEY (or a key generated once into the data folder) and the previous one.

    The look-up key makes the keyed hashes that find a person by NIK without
    decrypting every row. NIAGA_LOOKUP_KEY_PREVIOUS is set only while
    `niaga rotate_personal_keys` recomputes the hashes after a change of key.
    """
    rule = f"must be at least {LOOKUP_KEY_MIN_LENGTH} characters long"
    key = _read("NIAGA_LOOKUP_KEY", env.str, None)
    if key:
        if len(key) < LOOKUP_KEY_MIN_LENGTH:
            raise _fail("NIAGA_LOOKUP_KEY", rule)
    else:
        path = data_dir / LOOKUP_KEY_FILE
        key = _kept_secret(path, lambda: secrets.token_urlsafe(48) + "\n").strip()
        if len(key) < LOOKUP_KEY_MIN_LENGTH:
            raise _fail(
                "NIAGA_LOOKUP_KEY",
                f"unset, and the key kept in {path} is too short ({rule}); restore the file "
                "from your key backup",
            )
    previous = _read("NIAGA_LOOKUP_KEY_PREVIOUS", env.str, None) or None
    if previous is not None:
        if len(previous) < LOOKUP_KEY_MIN_LENGTH:
            raise _fail("NIAGA_LOOKUP_KEY_PREVIOUS", rule)
        if previous == key:
            raise _fail(
                "NIAGA_LOOKUP_KEY_PREVIOUS",
                "is the same as the current look-up key; set it to the key being replaced, "
                "or leave it unset",
            )
    return key, previous


def sqlite_database(path: Path) -> dict:
    """Django's settings for a SQLite database file, tuned for several writers.

    Used for the default database and by tests that check the pragmas.
    """
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            # BEGIN IMMEDIATE takes the write lock at the start of a transaction,
            # so two writers queue on the busy timeout instead of one failing
            # with "database is locked" when it upgrades a read lock.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            # WAL lets readers go on while one writer writes; FULL syncs every
            # commit so a confirmed deal survives a power cut.
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=FULL;"
                "PRAGMA busy_timeout=20000;"
                "PRAGMA foreign_keys=ON;"
            ),
        },
    }


def load_config() -> Config:
    env = Env(expand_vars=False)
    data_dir = Path(_read("NIAGA_DATA_DIR", env.str, "var")).expanduser().resolve()
    try:
        # Only the service account may enter: the folder holds the database with
        # session keys and personal data, and the secret key.
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise _fail("NIAGA_DATA_DIR", f"cannot create {data_dir}: {error.strerror}") from error
    if not os.access(data_dir, os.W_OK):
        raise _fail("NIAGA_DATA_DIR", f"{data_dir} is not writable")

    debug = _read("DEBUG", env.bool, False)
    language = _read("NIAGA_LANGUAGE", env.str, "id")
    if language not in SUPPORTED_LANGUAGES:
        raise _fail("NIAGA_LANGUAGE", f"must be one of {', '.join(SUPPORTED_LANGUAGES)}")
    time_zone = _read("NIAGA_TIME_ZONE", env.str, "Asia/Jakarta")
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise _fail("NIAGA_TIME_ZONE", f"{time_zone!r} is not an IANA time zone") from error

    session_hours = _read("NIAGA_SESSION_HOURS", env.int, 8)
    if not 1 <= session_hours <= 24 * 14:
        raise _fail("NIAGA_SESSION_HOURS", "must be between 1 and 336 hours")
    pool_max = _read("NIAGA_DB_POOL_MAX", env.int, 10)
    if not 1 <= pool_max <= 200:
        raise _fail("NIAGA_DB_POOL_MAX", "must be between 1 and 200")
    log_level = _read("NIAGA_LOG_LEVEL", env.str, "INFO").upper()
    if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise _fail("NIAGA_LOG_LEVEL", "must be DEBUG, INFO, WARNING or ERROR")

    origins = _read("CSRF_TRUSTED_ORIGINS", env.list, [])
    for origin in origins:
        if urlsplit(origin).scheme not in ("http", "https") or not urlsplit(origin).netloc:
            raise _fail("CSRF_TRUSTED_ORIGINS", f"{origin!r} is not an origin like https://host")

    lookup_key, lookup_key_previous = _lookup_key(env, data_dir)
    return Config(
        data_dir=data_dir,
        database_url=_database_url(env),
        redis_url=_redis_url(env),
        secret_key=_secret_key(env, data_dir),
        debug=debug,
        https=_read("NIAGA_HTTPS", env.bool, not debug),
        behind_proxy=_read("NIAGA_BEHIND_PROXY", env.bool, False),
        allowed_hosts=_read("ALLOWED_HOSTS", env.list, ["127.0.0.1", "localhost"]),
        csrf_trusted_origins=origins,
        language_code=language,
        time_zone=time_zone,
        session_hours=session_hours,
        db_pool_max=pool_max,
        log_level=log_level,
        mail_from=_read("NIAGA_MAIL_FROM", env.str, "Niaga <niaga@localhost>"),
        smtp=_smtp(env),
        personal_data_keys=_personal_data_keys(env, data_dir),
        lookup_key=lookup_key,
        lookup_key_previous=lookup_key_previous,
    )
