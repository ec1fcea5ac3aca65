"""Settings come from the environment, and a bad value stops start-up naming the variable."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from niaga.config import SECRET_KEY_FILE, load_config

VARIABLES = [
    "NIAGA_DATA_DIR",
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "DEBUG",
    "NIAGA_HTTPS",
    "NIAGA_BEHIND_PROXY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "NIAGA_LANGUAGE",
    "NIAGA_TIME_ZONE",
    "NIAGA_SESSION_HOURS",
    "NIAGA_DB_POOL_MAX",
    "NIAGA_LOG_LEVEL",
    "NIAGA_SMTP_URL",
    "NIAGA_MAIL_FROM",
]


@pytest.fixture
def env(monkeypatch, tmp_path):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NIAGA_DATA_DIR", str(tmp_path / "data"))
    return monkeypatch


def test_defaults(env, tmp_path):
    config = load_config()
    assert config.data_dir == (tmp_path / "data").resolve()
    assert config.database_url is None
    assert config.redis_url is None
    assert config.debug is False
    assert config.https is True  # production is HTTPS unless told otherwise
    assert config.allowed_hosts == ["127.0.0.1", "localhost"]
    assert config.language_code == "id"
    assert config.time_zone == "Asia/Jakarta"
    assert config.session_hours == 8


def test_values_are_read(env):
    env.setenv("DATABASE_URL", "postgresql://niaga@db.example:5432/niaga")
    env.setenv("REDIS_URL", "redis://cache.example:6379/1")
    env.setenv("DEBUG", "true")
    env.setenv("ALLOWED_HOSTS", "niaga.jatimprov.go.id,niaga.kalselprov.go.id")
    env.setenv("NIAGA_LANGUAGE", "en")
    env.setenv("NIAGA_TIME_ZONE", "Asia/Makassar")
    env.setenv("NIAGA_SESSION_HOURS", "12")
    config = load_config()
    assert config.database_url == "postgresql://niaga@db.example:5432/niaga"
    assert config.redis_url == "redis://cache.example:6379/1"
    assert config.debug is True
    assert config.https is False  # follows DEBUG unless NIAGA_HTTPS is set
    assert config.allowed_hosts == ["niaga.jatimprov.go.id", "niaga.kalselprov.go.id"]
    assert (config.language_code, config.time_zone, config.session_hours) == (
        "en",
        "Asia/Makassar",
        12,
    )


def test_mail_is_printed_unless_an_smtp_server_is_named(env):
    assert load_config().smtp is None
    env.setenv("NIAGA_SMTP_URL", "smtps://dinas%40jatim.go.id:rah%2Fasia@mail.jatim.go.id")
    env.setenv("NIAGA_MAIL_FROM", "OPOP Jatim <opop@jatim.go.id>")
    config = load_config()
    assert config.mail_from == "OPOP Jatim <opop@jatim.go.id>"
    assert config.smtp == {
        "host": "mail.jatim.go.id",
        "port": 465,
        "username": "dinas@jatim.go.id",
        "password": "rah/asia",
        "use_ssl": True,
        "use_tls": False,
        "timeout": 20,
    }
    assert "rah/asia" not in repr(config)
    env.setenv("NIAGA_SMTP_URL", "smtp://relay.internal:25")
    assert load_config().smtp["use_tls"] is False
    env.setenv("NIAGA_SMTP_URL", "smtp://relay.internal")
    assert load_config().smtp["port"] == 587 and load_config().smtp["use_tls"] is True


@pytest.mark.parametrize(
    ("variable", "value", "rule"),
    [
        ("DEBUG", "maybe", "Not a valid boolean"),
        ("NIAGA_HTTPS", "sometimes", "Not a valid boolean"),
        ("DATABASE_URL", "mysql://root@localhost/niaga", "scheme 'mysql' is not supported"),
        ("DATABASE_URL", "postgresql://localhost", "names no database"),
        ("REDIS_URL", "http://localhost:6379", "must start with redis://"),
        ("SECRET_KEY", "too-short", "at least 50 characters"),
        ("NIAGA_LANGUAGE", "fr", "must be one of id, en"),
        ("NIAGA_TIME_ZONE", "Asia/Banjarmasin", "is not an IANA time zone"),
        ("NIAGA_SESSION_HOURS", "0", "between 1 and 336"),
        ("NIAGA_SESSION_HOURS", "eight", "Not a valid integer"),
        ("NIAGA_DB_POOL_MAX", "-1", "between 1 and 200"),
        ("NIAGA_LOG_LEVEL", "LOUD", "must be DEBUG, INFO, WARNING or ERROR"),
        ("CSRF_TRUSTED_ORIGINS", "niaga.example", "is not an origin"),
        ("NIAGA_SMTP_URL", "mail.example:587", "must look like smtp://"),
        ("NIAGA_SMTP_URL", "smtp://mail.example:port", "the port must be a number"),
    ],
)
def test_bad_value_names_the_variable(env, variable, value, rule):
    env.setenv(variable, value)
    with pytest.raises(ImproperlyConfigured) as raised:
        load_config()
    message = str(raised.value)
    assert message.startswith(f"Environment variable {variable}")
    assert rule in message


def test_a_new_data_dir_is_for_the_service_account_only(env, tmp_path):
    load_config()
    assert (tmp_path / "data").stat().st_mode & 0o777 == 0o700


def test_unwritable_data_dir_is_refused(env, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    env.setenv("NIAGA_DATA_DIR", str(blocker / "data"))
    with pytest.raises(ImproperlyConfigured, match="NIAGA_DATA_DIR"):
        load_config()


def test_secret_key_is_generated_once_and_kept(env, tmp_path):
    first = load_config().secret_key
    second = load_config().secret_key
    assert first == second
    assert len(first) >= 50
    key_file = tmp_path / "data" / SECRET_KEY_FILE
    assert key_file.read_text() == first
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_secret_key_from_environment_wins(env, tmp_path):
    env.setenv("SECRET_KEY", "k" * 64)
    assert load_config().secret_key == "k" * 64
    assert not (tmp_path / "data" / SECRET_KEY_FILE).exists()


def test_bad_value_stops_the_command_with_the_variable_named(tmp_path):
    environment = {**os.environ, "NIAGA_DATA_DIR": str(tmp_path), "DEBUG": "maybe"}
    result = subprocess.run(
        [sys.executable, "-m", "niaga.cli", "check"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Environment variable DEBUG" in result.stderr


def test_production_settings_pass_check_deploy(tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("NIAGA_HTTPS", "DEBUG", "DATABASE_URL", "REDIS_URL")
        and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environment.update(
        NIAGA_DATA_DIR=str(tmp_path),
        SECRET_KEY="x7" * 20 + "production-secret-that-is-long-enough",
        ALLOWED_HOSTS="niaga.jatimprov.go.id",
        DEBUG="false",
        NIAGA_BEHIND_PROXY="true",
        # Without it mail goes to the console, which check --deploy refuses.
        NIAGA_SMTP_URL="smtp://relay.jatimprov.go.id:25",
    )
    result = subprocess.run(
        [sys.executable, "-m", "niaga.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
