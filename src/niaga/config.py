"""Configuration read from the environment, once, loudly.

Every variable Niaga understands is parsed here into a typed, frozen `Config`.
A value that cannot be parsed stops start-up with `ImproperlyConfigured`
naming the variable and the rule, instead of running with a silent default.
`settings.py` is the only caller in the application; tests call `load_config`
with a patched environment.
"""

from __future__ import annotations

import os
import secrets
import zoneinfo
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from environs import Env, EnvError

SUPPORTED_LANGUAGES = ("id", "en")
SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name


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
    )
