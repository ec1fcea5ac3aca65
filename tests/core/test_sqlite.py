"""The SQLite database is set up for several writers: WAL, IMMEDIATE, FULL sync, busy timeout."""

import threading

import pytest
from django.db import connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper

from niaga.config import sqlite_database


def _open(path):
    settings_dict = {
        **sqlite_database(path),
        "ATOMIC_REQUESTS": False,
        "AUTOCOMMIT": True,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "TIME_ZONE": None,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "TEST": {},
    }
    return DatabaseWrapper(settings_dict, alias=f"pragma-{path.name}")


@pytest.fixture(autouse=True)
def _own_files(django_db_blocker):
    """These tests open their own SQLite files, not the test database."""
    with django_db_blocker.unblock():
        yield


def _pragma(wrapper, name):
    with wrapper.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


def test_pragmas_read_back(tmp_path):
    wrapper = _open(tmp_path / "niaga.sqlite3")
    try:
        assert _pragma(wrapper, "journal_mode") == "wal"
        assert _pragma(wrapper, "synchronous") == 2  # FULL
        assert _pragma(wrapper, "busy_timeout") == 20000
        assert _pragma(wrapper, "foreign_keys") == 1
        assert wrapper.transaction_mode == "IMMEDIATE"
    finally:
        wrapper.close()


def test_transactions_begin_immediate(tmp_path):
    """A second writer waits for the first instead of failing with 'database is locked'."""
    path = tmp_path / "writers.sqlite3"
    setup = _open(path)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE counter (n INTEGER NOT NULL)")
        cursor.execute("INSERT INTO counter VALUES (0)")
    setup.close()

    errors, rounds, writers = [], 40, 4

    def writer():
        wrapper = _open(path)
        connections[wrapper.alias] = wrapper  # thread-local: this thread's own connection
        try:
            for _ in range(rounds):
                # Read then write in one transaction, as Django's atomic() does it:
                # without BEGIN IMMEDIATE two of these collide on the lock upgrade
                # and one fails at once with "database is locked".
                with transaction.atomic(using=wrapper.alias), wrapper.cursor() as cursor:
                    cursor.execute("SELECT n FROM counter")
                    (value,) = cursor.fetchone()
                    cursor.execute("UPDATE counter SET n = %s", [value + 1])
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            wrapper.close()

    threads = [threading.Thread(target=writer) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    check = _open(path)
    assert _pragma(check, "integrity_check") == "ok"
    with check.cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        assert cursor.fetchone()[0] == rounds * writers  # no lost update
    check.close()
